"""Mounted at /<lang>/map/."""

from django.urls import path

from veche.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.map_page, name="map"),
    path("cases/", views.case_list, name="list"),
    path("cases.geojson", views.geojson, name="geojson"),
    path("mine/", views.my_cases, name="mine"),
    path("new/", views.case_create, name="create"),
    path("review/", views.review_queue, name="review_queue"),
    path("from-processes/<slug:org_slug>/", views.finished_processes, name="finished_processes"),
    path("from-module/<int:module_id>/", views.from_module, name="from_module"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/submit/", views.case_submit, name="submit"),
    path("<int:pk>/delete/", views.case_delete, name="delete"),
    path("<int:pk>/photos/", views.case_photos, name="photos"),
    path("<int:pk>/photos/<int:photo_id>/delete/", views.photo_delete, name="photo_delete"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/history/<int:number>/", views.revision, name="revision"),
]
