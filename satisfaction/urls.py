from django.urls import path

from satisfaction.views import compliments, dashboard, drilldown, public, team

app_name = "satisfaction"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("export.csv", dashboard.export, name="export"),
    path("detail/<str:kind>/", drilldown.drilldown, name="drilldown"),
    path("recalcul/", dashboard.recompute, name="recompute"),
    path("recalcul/<int:pk>/", dashboard.recompute_progress, name="recompute_progress"),
    path("incivilites/", team.incivility_list, name="incivility_list"),
    path("incivilites/signaler/", team.incivility_create, name="incivility_create"),
    path("incivilites/<int:pk>/", team.incivility_detail, name="incivility_detail"),
    path("incivilites/<int:pk>/<slug:action>/", team.incivility_action, name="incivility_action"),
    path("remerciements/", compliments.compliment_list, name="compliment_list"),
    path("pulse/", team.pulse, name="pulse"),
    path("barometre/", team.barometer, name="barometer"),
    # the customer's page, reached from the e-mail: no login
    path("enquete/merci/", public.survey_thanks, name="survey_thanks"),
    path("enquete/<str:token>/", public.survey, name="survey"),
]
