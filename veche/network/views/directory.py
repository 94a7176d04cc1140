"""The practitioners' database: search and filters for everyone (showing only what each person made visible to the
viewer), and the coordinators' CSV/XLSX export of the filtered list of their network."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from veche.network.exports import csv_lines, xlsx_bytes
from veche.network.forms.directory import DirectoryFilterForm
from veche.network.lookups import get_network_for_user
from veche.network.models import PractitionerProfile
from veche.network.visibility import VisibleProfile
from veche.organisations.models import Organisation

PAGE_SIZE = 20


def directory_queryset(user):
    return (
        PractitionerProfile.objects.published().with_clearance(user).for_directory_page().order_by("-updated_at", "-pk")
    )


class IdsFirstPaginator(Paginator):
    """Slices the page's ids first, then reads the page's rows by id (one query: the slice is a subquery). A profile
    row is wide, so walking OFFSET rows of the full table is what made deep pages slow; the ids come from the
    practitioner_listed_recent index instead (ADR 0017). `rows` is the queryset the page's rows are read from."""

    def __init__(self, object_list: Any, per_page: int, *, rows: Any, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows

    def _get_page(self, object_list: Any, number: int, paginator: Any) -> Any:
        return super()._get_page(self.rows.filter(pk__in=object_list.values("pk")), number, paginator)


def filterable_networks(user) -> list[Organisation]:
    """Networks the viewer may filter by: those whose member list they may see (filtering by a members-only network
    would reveal its members)."""
    networks = Organisation.objects.visible_to(user).networks().select_related("network_settings").order_by("name")
    return [network for network in networks if user.has_perm("network.view_members", network)]


def directory(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = DirectoryFilterForm(request.GET, networks=filterable_networks(user))
    profiles = filters.filter(directory_queryset(user))
    page_obj = IdsFirstPaginator(profiles, PAGE_SIZE, rows=directory_queryset(user)).get_page(request.GET.get("page"))
    visible = [VisibleProfile(profile, profile.clearance) for profile in page_obj.object_list]
    network = filters.selected_network
    context = {
        "filters": filters,
        "page_obj": page_obj,
        "profiles": visible,
        "export_network": network if network and user.has_perm("network.export_directory", network) else None,
        "has_profile": user.is_authenticated and PractitionerProfile.objects.filter(user_id=user.pk).exists(),
    }
    template = "network/directory.html" + ("#results" if request.htmx else "")
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _filename(slug: str, extension: str) -> str:
    return re.sub(r"[^a-z0-9-]", "", slug)[:60] + f"-practitioners.{extension}"


@login_required
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The filtered directory of one network for its coordinators: the network filter is fixed to it."""
    network = get_network_for_user(request, slug, "network.export_directory")
    data = request.GET.copy()
    data["network"] = network.slug
    filters = DirectoryFilterForm(data, networks=[network])
    profiles = filters.filter(directory_queryset(request.user)).iterator(chunk_size=500)
    visible = (VisibleProfile(profile, profile.clearance) for profile in profiles)
    base_url = settings.SITE_URL
    if fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes(visible, base_url=base_url, sheet=_("Practitioners")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(csv_lines(visible, base_url=base_url), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(network.slug, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response
