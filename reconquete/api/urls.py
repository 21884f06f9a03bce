from django.urls import path

app_name = "reconquete_api"

urlpatterns: list = [
]
