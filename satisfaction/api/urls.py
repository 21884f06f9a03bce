from django.urls import path

from satisfaction.api import views

app_name = "satisfaction_api"

urlpatterns = [
    path("survey-answers/", views.SurveyAnswerBatchView.as_view(), name="survey-answers"),
]
