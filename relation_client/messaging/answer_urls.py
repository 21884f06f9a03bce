"""The answer by e-mail (on a request) and the canned answers (/reponses-types/)."""

from django.urls import path

from relation_client.messaging import answer_views as views

app_name = "answers"

urlpatterns = [
    path("demandes/<int:pk>/repondre-par-mail/", views.answer_send, name="send"),
    path("demandes/<int:pk>/messages/", views.sent_messages, name="sent_messages"),
    path("demandes/messages/<int:pk>/reessayer/", views.message_retry, name="message_retry"),
    path("reponses-types/", views.template_list, name="template_list"),
    path("reponses-types/nouvelle/", views.template_create, name="template_create"),
    path("reponses-types/<int:pk>/modifier/", views.template_edit, name="template_edit"),
    path("reponses-types/<int:pk>/retirer/", views.template_deactivate, name="template_deactivate"),
    path(
        "reponses-types/pour-la-demande/<int:request_pk>/",
        views.template_picker,
        name="template_picker",
    ),
]
