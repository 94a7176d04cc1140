"""Responses, the report, standards and evaluation."""

from django.urls import path

from veche.consultations.views import report_responses as responses

urlpatterns: list = [
    path("<slug:org_slug>/<slug:slug>/responses/", responses.response_queue, name="responses"),
    path("<slug:org_slug>/<slug:slug>/responses/<int:pk>/", responses.respond_contribution, name="respond"),
    path("<slug:org_slug>/<slug:slug>/themes/", responses.theme_list, name="themes"),
    path("<slug:org_slug>/<slug:slug>/themes/<int:pk>/", responses.theme_detail, name="theme"),
]
