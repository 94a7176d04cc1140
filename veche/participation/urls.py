"""Mounted at /<lang>/processes/. "new/<org_slug>/" comes first, so an organisation slug "new" cannot shadow it."""

from django.urls import path

from veche.participation import views

app_name = "participation"
urlpatterns = [
    path("", views.process_list, name="list"),
    path("new/<slug:org_slug>/", views.process_create, name="create"),
    path("<slug:org_slug>/<slug:slug>/", views.process_detail, name="detail"),
    path("<slug:org_slug>/<slug:slug>/edit/", views.process_edit, name="edit"),
    path("<slug:org_slug>/<slug:slug>/modules/new/", views.module_add, name="add_module"),
    path("<slug:org_slug>/<slug:slug>/modules/<int:module_id>/phases/", views.module_schedule, name="schedule"),
    path("<slug:org_slug>/<slug:slug>/modules/<int:module_id>/delete/", views.module_delete, name="delete_module"),
]
