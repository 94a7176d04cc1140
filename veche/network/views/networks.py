"""Network pages: the list of networks, a network's home, its members, joining and leaving, the coordinators'
application queue and settings. Views fetch and authorise, call veche.network.services and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes
from veche.network import services
from veche.network.access import is_network_member, staff_organisation_ids
from veche.network.forms.membership import (
    ApplicationForm,
    DecisionForm,
    EndMembershipForm,
    LeaveForm,
    NetworkSettingsForm,
)
from veche.network.home_sections import render_home_sections
from veche.network.lookups import get_membership_for_user, get_network_for_user
from veche.network.models import Membership, NetworkSettings
from veche.network.presentation import member_map_points, network_members
from veche.organisations.choices import OrganisationKind, RoleKind
from veche.organisations.models import Organisation
from veche.organisations.roles import roles_by_organisation

PAGE_SIZE = 20
MEMBERS_PAGE_SIZE = 50


def network_list(request: HttpRequest) -> HttpResponse:
    networks = Organisation.objects.visible_to(request.user).networks().for_list_page()
    page_obj = Paginator(networks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "network/network_list.html", {"page_obj": page_obj, "networks": page_obj.object_list})


def _own_open_membership(request: HttpRequest, network: Organisation) -> Membership | None:
    if not request.user.is_authenticated:
        return None
    return Membership.objects.open().filter(network=network, user_id=request.user.pk).first()


def network_home(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_network_for_user(request, slug)
    user = request.user
    can_view_members = user.has_perm("network.view_members", network)
    organisations, _people = network_members(network, people=False) if can_view_members else ([], [])
    context = {
        "network": network,
        "settings": network.network_settings,
        "membership": _own_open_membership(request, network),
        "is_member": is_network_member(user, network),
        "can_apply": user.has_perm("network.apply", network) or not user.is_authenticated,
        "can_manage": user.has_perm("network.manage_members", network),
        "can_change_settings": user.has_perm("network.change_network_settings", network),
        "can_view_members": can_view_members,
        "member_organisations": organisations[:12],
        "member_organisation_count": len(organisations),
        "map_points": member_map_points(organisations),
        "sections": render_home_sections(request, network),
    }
    return render(request, "network/network_home.html", context)


def network_members_page(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_network_for_user(request, slug, "network.view_members")
    organisations, people = network_members(network, people=True)
    page_obj = Paginator(people, MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "network": network,
        "organisations": organisations,
        "page_obj": page_obj,
        "people": page_obj.object_list,
        "can_manage": request.user.has_perm("network.manage_members", network),
    }
    return render(request, "network/network_members.html", context)


def _organisations_user_may_apply_for(request: HttpRequest, network: Organisation) -> list[Organisation]:
    wanted = {RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR}
    ids = [pk for pk, kinds in roles_by_organisation(request.user).items() if kinds & wanted and pk != network.pk]
    if not ids:
        return []
    return list(Organisation.objects.filter(pk__in=ids).exclude(kind=OrganisationKind.NETWORK).order_by("name"))


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_network_for_user(request, slug)
    if not request.user.has_perm("network.apply", network):
        messages.info(request, _("This network does not accept applications at the moment."))
        return redirect("network:home", slug=network.slug)
    existing = _own_open_membership(request, network)
    if existing is not None:
        return redirect(existing)
    form = ApplicationForm(request.POST or None, organisations=_organisations_user_may_apply_for(request, network))
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.apply_to_network(
                actor=request.user,
                network=network,
                organisation=form.organisation,
                motivation=form.cleaned_data["motivation"],
                region=form.cleaned_data["region"],
                experience=form.cleaned_data["experience"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Your application is sent. The coordinators will reply; you will get a notification.")
            )
            return redirect(membership)
    return render(request, "network/apply.html", {"network": network, "form": form})


@login_required
def applications(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_network_for_user(request, slug, "network.manage_members")
    queue = Membership.objects.filter(network=network).for_queue_page()
    page_obj = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/applications.html",
        {"network": network, "page_obj": page_obj, "applications": page_obj.object_list},
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def membership_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The application or membership with its history. Coordinators decide here; the member leaves here."""
    network = get_network_for_user(request, slug)
    membership = get_membership_for_user(request, network, pk)
    user = request.user
    can_manage = user.has_perm("network.manage_members", network)
    can_leave = user.has_perm("network.leave_membership", membership)
    decision_form = DecisionForm(prefix="decision")
    end_form = EndMembershipForm(prefix="end")
    leave_form = LeaveForm(prefix="leave")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "decide" and can_manage:
                decision_form = DecisionForm(request.POST, prefix="decision")
                if decision_form.is_valid():
                    accept = decision_form.cleaned_data["decision"] == "accept"
                    services.decide_application(
                        actor=user, membership=membership, accept=accept, message=decision_form.cleaned_data["message"]
                    )
                    messages.success(request, _("Accepted.") if accept else _("Declined. The applicant was told why."))
                    return redirect(membership)
            elif action == "end" and can_manage:
                end_form = EndMembershipForm(request.POST, prefix="end")
                if end_form.is_valid():
                    services.end_membership(actor=user, membership=membership, message=end_form.cleaned_data["message"])
                    messages.success(request, _("The membership has ended."))
                    return redirect(membership)
            elif action == "leave" and can_leave:
                leave_form = LeaveForm(request.POST, prefix="leave")
                if leave_form.is_valid():
                    services.leave_network(
                        actor=user, membership=membership, message=leave_form.cleaned_data["message"]
                    )
                    messages.success(request, _("Done. You can apply again whenever you like."))
                    return redirect("network:home", slug=network.slug)
            else:
                raise PermissionDenied
        except ValidationError as error:
            target = {"decide": decision_form, "end": end_form, "leave": leave_form}[action]
            apply_service_errors(target, error)
    context = {
        "network": network,
        "membership": membership,
        "events": list(membership.events.all()),
        "can_decide": can_manage and membership.state == "applied",
        "can_end": can_manage and membership.state == "active" and membership.user_id != user.pk,
        "can_leave": can_leave,
        "decision_form": decision_form,
        "end_form": end_form,
        "leave_form": leave_form,
    }
    return render(request, "network/membership_detail.html", context)


@login_required
def my_memberships(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.of_person(request.user)
        .select_related("network", "organisation", "user")
        .order_by("-created_at", "-pk")
    )
    page_obj = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/my_memberships.html",
        {"page_obj": page_obj, "memberships": page_obj.object_list, "acts_for": staff_organisation_ids(request.user)},
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def network_settings_page(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_network_for_user(request, slug, "network.change_network_settings")
    # The form validates against its own copy: a ModelForm writes cleaned values into its instance.
    form = NetworkSettingsForm(request.POST or None, instance=NetworkSettings.objects.get(network=network))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_network_settings(actor=request.user, network=network, changes=form.changes())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The network's settings are saved."))
            return redirect("network:home", slug=network.slug)
    return render(request, "network/network_settings.html", {"network": network, "form": form})
