from django.urls import path

app_name = "touchpoints"

urlpatterns: list = [
]
