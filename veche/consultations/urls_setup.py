"""Set-up and finding: lists, feeds, creating and editing consultations."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
