"""Responses, the report, standards and evaluation."""

from django.urls import path

from veche.consultations.views import report_evaluation as evaluation
from veche.consultations.views import report_pages as report
from veche.consultations.views import report_responses as responses
from veche.consultations.views import report_standards as standards

C = "<slug:org_slug>/<slug:slug>/"

urlpatterns: list = [
    path(f"{C}responses/", responses.response_queue, name="responses"),
    path(f"{C}responses/<int:pk>/", responses.respond_contribution, name="respond"),
    path(f"{C}themes/", responses.theme_list, name="themes"),
    path(f"{C}themes/<int:pk>/", responses.theme_detail, name="theme"),
    path(f"{C}report/", report.report_page, name="report"),
    path(f"{C}report/manage/", report.report_manage, name="report_manage"),
    path(f"{C}report/files/<str:name>", report.report_file, name="report_file"),
    path(f"{C}report/builds/<int:build_id>/<str:name>", report.report_build_file, name="report_build_file"),
    path(f"{C}evaluation/", evaluation.evaluation, name="evaluation"),
    path(f"{C}evaluation/<str:token>/", evaluation.evaluation_signed, name="evaluation_signed"),
    path(f"{C}checklist/", standards.checklist, name="checklist"),
    path("<slug:org_slug>/settings/standards/", standards.standards, name="standards"),
    path("<slug:org_slug>/settings/standards/<int:pk>/", standards.standard_detail, name="standard"),
    path("<slug:org_slug>/settings/population/", standards.population, name="population"),
]
