"""Addresses of the consultations app. Each part keeps its own URL module, included here."""

from django.urls import include, path

from veche.consultations.views.detail import consultation_detail

app_name = "consultations"

urlpatterns = [
    path("", include("veche.consultations.urls_setup")),
    path("", include("veche.consultations.urls_documents")),
    path("", include("veche.consultations.urls_surveys")),
    path("", include("veche.consultations.urls_report")),
    path("<slug:org_slug>/<slug:slug>/", consultation_detail, name="detail"),
]
