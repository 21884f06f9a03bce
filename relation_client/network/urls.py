from django.urls import path

from relation_client.network import views

app_name = "network"

urlpatterns = [
    path("", views.disruption_list, name="disruptions"),
    path("nouvelle/", views.disruption_new, name="disruption_new"),
    path("<int:pk>/", views.disruption_detail, name="disruption"),
    path("<int:pk>/prevenir/", views.disruption_warn, name="disruption_warn"),
    path("lignes-du-client/<int:pk>/", views.customer_lines, name="customer_lines"),
]
