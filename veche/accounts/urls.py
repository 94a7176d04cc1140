"""The person's own pages, mounted at /<lang>/me/."""

from django.urls import path

from veche.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("export/", views.export, name="export"),
    path("delete/", views.delete, name="delete"),
]
