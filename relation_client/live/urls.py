from django.urls import path

from relation_client.live import views

app_name = "live"

urlpatterns = [
    path("", views.stream, name="stream"),
]
