from django.urls import path

from relation_client.messaging import views

app_name = "messaging"

urlpatterns = [
    path("a-identifier/", views.waiting_list, name="waiting_list"),
    path("<int:pk>/", views.message_detail, name="detail"),
    path("<int:pk>/rattacher/", views.message_attach_view, name="attach"),
    path("<int:pk>/nouvelle-fiche/", views.message_customer_create_view, name="customer_create"),
    path(
        "<int:pk>/pieces-jointes/<int:attachment>/",
        views.attachment_download,
        name="attachment",
    ),
]
