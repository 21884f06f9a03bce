from django.urls import path

from relation_client.touchpoints import hint_views, views, walkin_views

app_name = "touchpoints"

urlpatterns: list = [
    path("", views.queue, name="queue"),
    path("lot/", views.queue_bulk, name="queue_bulk"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/presence/", views.request_presence, name="request_presence"),
    path("<int:pk>/presence/depart/", views.request_presence_leave, name="request_presence_leave"),
    path("suite/", hint_views.request_hint, name="request_hint"),
    path("<int:pk>/repondre/", views.request_answer, name="request_answer"),
    path("<int:pk>/attente-client/", views.request_wait, name="request_wait"),
    path("<int:pk>/reprendre/", views.request_resume, name="request_resume"),
    path("<int:pk>/cloturer/", views.request_close, name="request_close"),
    path("<int:pk>/rouvrir/", views.request_reopen, name="request_reopen"),
    path("<int:pk>/transmettre/", views.request_escalate, name="request_escalate"),
    path("<int:pk>/rattacher/", views.request_attach, name="request_attach"),
    path("<int:pk>/reattribuer/", views.request_reassign, name="request_reassign"),
    path("alertes/", views.alerts, name="alerts"),
    path("alertes/<int:pk>/prise-en-compte/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alertes/<int:pk>/resolution/", views.alert_resolve, name="alert_resolve"),
    path("gestes/", views.gestures, name="gestures"),
    path("gestes/client/<int:customer_id>/", views.gesture_grant, name="gesture_grant"),
    path("gestes/<int:pk>/decision/", views.gesture_decide, name="gesture_decide"),
    path("identification/", views.identification, name="identification"),
    path("sans-nom/", walkin_views.walkin_list, name="walkin_list"),
    path("sans-nom/noter/", walkin_views.walkin_log_view, name="walkin_log"),
    path("sans-nom/<int:pk>/", walkin_views.walkin_detail, name="walkin_detail"),
    path("sans-nom/<int:pk>/rattacher/", walkin_views.walkin_attach_view, name="walkin_attach"),
    path(
        "sans-nom/<int:pk>/nouvelle-fiche/",
        walkin_views.walkin_customer_create_view,
        name="walkin_customer_create",
    ),
]
