from django.urls import path

from relation_client.cycle import views

app_name = "cycle"

urlpatterns = [
    path("", views.board, name="board"),
    path("segments/<int:segment_id>/demarrer/", views.segment_start, name="segment_start"),
    path("tours/<int:pk>/", views.round_detail, name="round_detail"),
    path("tours/<int:pk>/avancer/", views.round_advance, name="round_advance"),
    path("tours/<int:pk>/clore/", views.round_close, name="round_close"),
    path("tours/<int:pk>/ajouter/<slug:slug>/", views.record_add, name="record_add"),
    path("tours/<int:pk>/terminer/<slug:kind>/<int:item_pk>/", views.item_end, name="item_end"),
    path("controles/<int:pk>/mesure/", views.control_measure, name="control_measure"),
]
