from django.urls import path

from relation_client.quality import views

app_name = "quality"

urlpatterns = [
    path("", views.index, name="index"),
    path("tirer/", views.draw, name="draw"),
    path("resultats/", views.results, name="results"),
    path("echantillons/<int:pk>/", views.sample, name="sample"),
    path("revues/<int:pk>/", views.review, name="review"),
    path("revues/<int:pk>/amelioration/", views.improve, name="improve"),
]
