"""Mounted at /<lang>/advice/."""

from django.urls import path

from veche.advice import views

app_name = "advice"
urlpatterns = [
    path("", views.my_requests, name="mine"),
    path("requests/<int:pk>/", views.detail, name="detail"),
    path("requests/<int:pk>/assign/", views.assign, name="assign"),
    path("requests/<int:pk>/decline/", views.decline, name="decline"),
    path("requests/<int:pk>/close/", views.close, name="close"),
    path("requests/<int:pk>/rate/", views.rate, name="rate"),
    path("messages/<int:pk>/hide/", views.hide_message, name="hide_message"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    path("<slug:network_slug>/ask/", views.ask, name="ask"),
    path("<slug:network_slug>/queue/", views.queue, name="queue"),
]
