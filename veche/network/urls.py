"""Mounted at /<lang>/ (paths start with networks/ and practitioners/)."""

from django.urls import path

from veche.network.views import directory, networks, practitioners

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
    path("practitioners/", directory.directory, name="directory"),
    path("networks/<slug:slug>/practitioners.csv", directory.export, {"fmt": "csv"}, name="export_csv"),
    path("networks/<slug:slug>/practitioners.xlsx", directory.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("practitioners/me/", practitioners.profile_edit, name="profile_edit"),
    path("practitioners/messages/", practitioners.inbox, name="inbox"),
    path("practitioners/messages/<int:pk>/", practitioners.message_detail, name="message"),
    path("practitioners/<int:pk>/", practitioners.practitioner_detail, name="practitioner"),
    path("practitioners/<int:pk>/contact/", practitioners.contact, name="contact"),
    path("practitioners/<int:pk>/unlist/", practitioners.practitioner_unlist, name="unlist"),
]
