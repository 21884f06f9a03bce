from django.urls import path

app_name = "reconquete"

urlpatterns: list = [
]
