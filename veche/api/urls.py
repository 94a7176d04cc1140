from django.urls import path

from veche.api.site import api

urlpatterns = [path("v1/", api.urls)]
