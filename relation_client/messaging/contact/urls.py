from django.urls import path

from relation_client.messaging.contact import views

app_name = "contact"

urlpatterns = [
    # the public's page: no login
    path("", views.contact, name="form"),
    path("merci/", views.thanks, name="thanks"),
]
