"""Surveys, demographics and offline input."""

from django.urls import path

from veche.consultations.views import offline, surveys

base = "<slug:org_slug>/<slug:slug>"

urlpatterns = [
    path(f"{base}/survey/", surveys.survey_answer, name="survey"),
    path(f"{base}/survey/results/", surveys.survey_results, name="survey_results"),
    path(f"{base}/survey/results.csv", surveys.survey_results_csv, name="survey_results_csv"),
    path(f"{base}/survey/build/", surveys.survey_builder, name="survey_builder"),
    path(f"{base}/survey/build/add/", surveys.question_add, name="survey_question_add"),
    path(f"{base}/survey/build/<int:question_id>/", surveys.question_edit, name="survey_question_edit"),
    path(f"{base}/survey/build/<int:question_id>/move/", surveys.question_move, name="survey_question_move"),
    path(f"{base}/survey/build/<int:question_id>/delete/", surveys.question_delete, name="survey_question_delete"),
    path(f"{base}/offline/", offline.offline_list, name="offline_list"),
    path(f"{base}/offline/add/", offline.offline_add, name="offline_add"),
    path(f"{base}/offline/<int:contribution_id>/", offline.offline_edit, name="offline_edit"),
    path(f"{base}/offline/<int:contribution_id>/delete/", offline.offline_delete, name="offline_delete"),
]
