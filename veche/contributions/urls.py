"""Mounted at /<lang>/moderation/."""

from django.urls import path

from veche.contributions import views

app_name = "contributions"
urlpatterns = [
    path("report/<str:label>/<int:object_id>/", views.report, name="report"),
    path("<slug:org_slug>/", views.moderation_queue, name="queue"),
    path("<slug:org_slug>/reports/<int:report_id>/dismiss/", views.dismiss, name="dismiss"),
]
