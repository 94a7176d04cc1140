"""Fetch-and-authorise helpers: 404 for what the visitor may not see, PermissionDenied for what they may see but not
change. Every view of the app goes through these."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from veche.consultations.models import Consultation


def get_consultation_for_user(
    request: HttpRequest, org_slug: str, slug: str, *, permission: str = "", detail: bool = False
) -> Consultation:
    """The consultation at /org_slug/slug/ if the visitor may see it (else 404) and, when permission is given, may
    do that (else PermissionDenied)."""
    queryset = Consultation.objects.for_detail_page() if detail else Consultation.objects.with_timeline()
    consultation = queryset.filter(organisation__slug=org_slug, slug=slug).first()
    if consultation is None or not request.user.has_perm("consultations.view_consultation", consultation):
        raise Http404
    if permission and not request.user.has_perm(permission, consultation):
        raise PermissionDenied
    return consultation
