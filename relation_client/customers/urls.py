from django.urls import path

from relation_client.customers import edit_views, merge_views, views

app_name = "customers"

urlpatterns = [
    path("", views.search, name="search"),
    path("appel/", views.incoming_call, name="incoming_call"),
    path("nouveau/", views.create, name="create"),
    path("fusion/", merge_views.merge, name="merge"),
    path("fusion/<int:pk>/annuler/", merge_views.merge_undo, name="merge_undo"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", edit_views.edit, name="edit"),
    path("<int:pk>/historique/", views.timeline, name="timeline"),
    path("<int:pk>/contacts/", views.log_touchpoint, name="log_touchpoint"),
    path("<int:pk>/confier/", views.handover, name="handover"),
    path("<int:pk>/consentements/", views.consent_change, name="consent_change"),
]
