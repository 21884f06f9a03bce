from django.urls import path

from relation_client.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("conservation/", views.retention, name="retention"),
    path("fiche/<int:pk>/", views.customer, name="customer"),
    path("fiche/<int:pk>/effacer/", views.erase, name="erase"),
]
