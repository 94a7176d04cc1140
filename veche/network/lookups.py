"""Fetch-and-authorise helpers: 404 for what the user may not see, PermissionDenied for what they may see but not
change."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from veche.core.permissions import require_permission
from veche.network.models import Membership, PractitionerProfile
from veche.network.services.membership import network_settings
from veche.organisations.choices import OrganisationKind
from veche.organisations.models import Organisation


def get_network_for_user(request: HttpRequest, slug: str, permission: str | None = None) -> Organisation:
    """The network at slug with its settings, if the user may see it (404 otherwise); PermissionDenied when a
    permission is asked for and missing."""
    network = (
        Organisation.objects.filter(slug=slug, kind=OrganisationKind.NETWORK).select_related("network_settings").first()
    )
    if network is None or not request.user.has_perm("network.view_network", network):
        raise Http404
    network_settings(network)
    if permission:
        require_permission(request.user, permission, network)
    return network


def get_membership_for_user(request: HttpRequest, network: Organisation, pk: int) -> Membership:
    membership = get_object_or_404(
        Membership.objects.filter(network=network).for_history().select_related("applied_by"), pk=pk
    )
    membership.network = network
    if not request.user.has_perm("network.view_membership", membership):
        raise Http404
    return membership


def get_profile_for_user(request: HttpRequest, pk: int) -> PractitionerProfile:
    profile = PractitionerProfile.objects.for_detail_page().filter(pk=pk).first()
    if profile is None or not request.user.has_perm("network.view_practitioner", profile):
        raise Http404
    return profile
