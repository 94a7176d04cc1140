"""Organisation pages: the public list and profile, and the edit and people pages for the organisation's administrators.

Views stay thin: they fetch and authorise, hand changes to veche.organisations.services and render. Templates get flags
(can_change, can_manage_roles), never permission logic.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from veche.core.ratelimit import limit_writes
from veche.organisations import services
from veche.organisations.forms import GrantRoleForm, OrganisationFilterForm, OrganisationForm
from veche.organisations.lookups import get_organisation_for_permission, get_organisation_for_user
from veche.organisations.member_lists import may_see_members, networks_showing_members
from veche.organisations.models import Organisation, Role
from veche.organisations.page_sections import render_sections

PAGE_SIZE = 20


def organisation_list(request: HttpRequest) -> HttpResponse:
    filters = OrganisationFilterForm(request.GET)
    organisations = filters.filter(Organisation.objects.visible_to(request.user).for_list_page())
    page_obj = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    # The filter form asks with htmx for just the results; the same URL without htmx is the whole page.
    template = "organisations/organisation_list.html" + ("#results" if request.htmx else "")
    response = render(
        request, template, {"filters": filters, "page_obj": page_obj, "organisations": page_obj.object_list}
    )
    patch_vary_headers(response, ("HX-Request",))
    return response


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug, detail=True)
    user = request.user
    # A network may keep its member list to its members: then neither its page nor its members' pages tell.
    members_hidden = organisation.is_network and not may_see_members(user, organisation)
    # Links to unpublished organisations would lead visitors to a 404, so the public page lists published ones.
    networks = [item.network for item in organisation.current_networks if item.network.is_published]
    members = [item.organisation for item in organisation.current_members if item.organisation.is_published]
    context = {
        "organisation": organisation,
        "networks": networks_showing_members(user, networks),
        "members": [] if members_hidden else members,
        "members_hidden": members_hidden,
        "can_change": user.has_perm("organisations.change_organisation", organisation),
        "can_manage_roles": user.has_perm("organisations.manage_roles", organisation),
        "sections": render_sections(request, organisation),
    }
    return render(request, "organisations/organisation_detail.html", context)


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_permission(request, slug, "organisations.change_organisation")
    # The form validates against its own copy: ModelForm writes cleaned values into its instance.
    form = OrganisationForm(
        request.POST or None, request.FILES or None, instance=Organisation.objects.get(pk=organisation.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(actor=request.user, organisation=organisation, changes=form.changes())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The changes to %(name)s are saved.") % {"name": organisation.name})
            return redirect(organisation)
    return render(request, "organisations/organisation_form.html", {"organisation": organisation, "form": form})


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def organisation_people(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_permission(request, slug, "organisations.manage_roles")
    form = GrantRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.grant_role(
                actor=request.user, organisation=organisation, user=form.person, kind=form.cleaned_data["kind"]
            )
        except ValidationError as exc:
            form.add_error("kind", exc.messages)
        else:
            messages.success(
                request,
                _("%(person)s now holds the role “%(role)s”.")
                % {"person": role.user.public_name, "role": role.get_kind_display()},
            )
            return redirect("organisations:people", slug=organisation.slug)
    roles = Role.objects.filter(organisation=organisation).for_people_page()
    return render(
        request, "organisations/organisation_people.html", {"organisation": organisation, "form": form, "roles": roles}
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def role_revoke(request: HttpRequest, slug: str, role_id: int) -> HttpResponse:
    """GET asks for confirmation (the page behind the dialog when JavaScript is off); POST revokes."""
    organisation = get_organisation_for_permission(request, slug, "organisations.manage_roles")
    role = get_object_or_404(Role.objects.select_related("user", "organisation"), pk=role_id, organisation=organisation)
    people_url = reverse("organisations:people", kwargs={"slug": organisation.slug})
    if request.method == "POST":
        try:
            services.revoke_role(actor=request.user, role=role)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(person)s no longer holds the role “%(role)s”.")
                % {"person": role.user.public_name, "role": role.get_kind_display()},
            )
        return redirect(people_url)
    return render(
        request,
        "organisations/role_revoke.html",
        {"organisation": organisation, "role": role, "people_url": people_url},
    )
