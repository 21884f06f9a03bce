from django.urls import path

from relation_client.network import views

app_name = "network"

urlpatterns = [
    path("", views.disruption_list, name="disruptions"),
    path("nouvelle/", views.disruption_new, name="disruption_new"),
    path("<int:pk>/", views.disruption_detail, name="disruption"),
]
