"""Mounted at /<lang>/audit/."""

from django.urls import path

from veche.audit import views

app_name = "audit"
urlpatterns = [path("<slug:org_slug>/", views.organisation_log, name="organisation")]
