"""Documents, comments, participation and moderation."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
