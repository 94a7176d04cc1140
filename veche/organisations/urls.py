"""Organisation pages, mounted at /<lang>/organisations/."""

from django.urls import path

from veche.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
    path("<slug:slug>/edit/", views.organisation_edit, name="edit"),
    path("<slug:slug>/people/", views.organisation_people, name="people"),
    path("<slug:slug>/people/<int:role_id>/revoke/", views.role_revoke, name="revoke_role"),
]
