from django.urls import path

from reconquete.api import views

app_name = "reconquete_api"

urlpatterns: list = [
    path("ridership/", views.RidershipBulkView.as_view(), name="ridership-bulk"),
    path("subscriptions/", views.SubscriptionBulkView.as_view(), name="subscriptions-bulk"),
]
