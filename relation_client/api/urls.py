"""The partner API, version 1: /api/v1/…; the schema is at /api/schema/."""

from django.urls import path

from relation_client.api.views import customers, requests, telephony, touchpoints

app_name = "api"

urlpatterns = [
    path("customers/", customers.CustomerListView.as_view(), name="customer-list"),
    path("customers/lookup/", customers.CustomerLookupView.as_view(), name="customer-lookup"),
    path("customers/<int:pk>/", customers.CustomerDetailView.as_view(), name="customer-detail"),
    path(
        "customers/<int:pk>/timeline/",
        customers.CustomerTimelineView.as_view(),
        name="customer-timeline",
    ),
    path("touchpoints/", touchpoints.TouchpointLogView.as_view(), name="touchpoint-log"),
    path("requests/", requests.RequestListView.as_view(), name="request-list"),
    path("requests/<int:pk>/", requests.RequestDetailView.as_view(), name="request-detail"),
    path("telephony/route/", telephony.CallRouteView.as_view(), name="telephony-route"),
    path("telephony/events/", telephony.CallEventView.as_view(), name="telephony-events"),
]
