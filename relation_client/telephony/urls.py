from django.urls import path

from relation_client.telephony import views

app_name = "telephony"

urlpatterns = [
    path("<int:pk>/fiche/", views.call_card, name="call_card"),
    path("<int:pk>/echange/", views.call_exchange, name="call_exchange"),
]
