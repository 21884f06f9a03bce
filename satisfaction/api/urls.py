from django.urls import path

app_name = "satisfaction_api"

urlpatterns: list = [
]
