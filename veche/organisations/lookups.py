"""Fetching an organisation for the current user, shared by the pages of every app that hang off an organisation."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from veche.core.permissions import require_permission
from veche.organisations.models import Organisation


def get_organisation_for_user(request: HttpRequest, slug: str, *, detail: bool = False) -> Organisation:
    """The organisation at slug if the user may see it; 404 otherwise, so unpublished ones do not reveal they exist."""
    queryset = Organisation.objects.all()
    if detail:
        queryset = queryset.for_detail_page()
    organisation = queryset.filter(slug=slug).first()
    if organisation is None or not request.user.has_perm("organisations.view_organisation", organisation):
        raise Http404
    return organisation


def get_organisation_for_permission(request: HttpRequest, slug: str, permission: str) -> Organisation:
    """Like get_organisation_for_user, and PermissionDenied when the user may see it but lacks permission on it."""
    organisation = get_organisation_for_user(request, slug)
    require_permission(request.user, permission, organisation)
    return organisation
