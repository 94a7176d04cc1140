"""Mounted at /<lang>/ (paths start with networks/ and practitioners/)."""

from django.urls import path

from veche.network.views import networks

app_name = "network"
urlpatterns = [
    path("networks/", networks.network_list, name="list"),
    path("networks/mine/", networks.my_memberships, name="my_memberships"),
    path("networks/<slug:slug>/", networks.network_home, name="home"),
    path("networks/<slug:slug>/members/", networks.network_members_page, name="members"),
    path("networks/<slug:slug>/join/", networks.apply, name="apply"),
    path("networks/<slug:slug>/applications/", networks.applications, name="applications"),
    path("networks/<slug:slug>/memberships/<int:pk>/", networks.membership_detail, name="membership"),
    path("networks/<slug:slug>/settings/", networks.network_settings_page, name="settings"),
]
