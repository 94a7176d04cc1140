"""Pages of advice on request. Views fetch and authorise (404 for a request the user may not see, 403 for an action
they may not take), call veche.advice.services and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from veche.advice import experts, services
from veche.advice.choices import OPEN_STATUSES, AdviceStatus
from veche.advice.forms import (
    AS_MYSELF,
    AssignForm,
    CloseForm,
    DeclineForm,
    HideForm,
    MessageForm,
    QueueFilterForm,
    RateForm,
    RequestForm,
)
from veche.advice.models import AdviceAttachment, AdviceMessage, AdviceRequest
from veche.core.forms import apply_service_errors
from veche.core.permissions import require_permission
from veche.core.ratelimit import limit_writes
from veche.organisations.lookups import get_organisation_for_user
from veche.organisations.models import Organisation

PAGE_SIZE = 20
QUEUE_PAGE_SIZE = 25
ASSIGN_PAGE_SIZE = 25


# --- fetch and authorise ----------------------------------------------------------------------------------------------


def get_network_for_user(request: HttpRequest, slug: str) -> Organisation:
    network = get_organisation_for_user(request, slug)
    if not network.is_network:
        raise Http404
    return network


def get_request_for_user(request: HttpRequest, pk: int, *, detail: bool = False) -> AdviceRequest:
    """The advice request if the user may see it; 404 otherwise, so its existence is not revealed."""
    queryset = AdviceRequest.objects.for_detail_page() if detail else AdviceRequest.objects.select_related("network")
    advice = queryset.filter(pk=pk).first()
    if advice is None or not request.user.has_perm("advice.view_request", advice):
        raise Http404
    return advice


def get_request_for_permission(request: HttpRequest, pk: int, permission: str) -> AdviceRequest:
    advice = get_request_for_user(request, pk)
    require_permission(request.user, permission, advice)
    return advice


# --- lists ------------------------------------------------------------------------------------------------------------


@login_required
@require_safe
def my_requests(request: HttpRequest) -> HttpResponse:
    """Requests the person takes part in (asked, for their organisation, or advises on), newest activity first,
    and links to the queues of the networks they coordinate."""
    user = request.user
    queryset = AdviceRequest.objects.taking_part(user).for_list_page().order_by("-last_activity_at", "-id")
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    from veche.network.access import coordinated_network_ids, member_network_ids

    networks = Organisation.objects.networks().filter(pk__in=sorted(member_network_ids(user))).order_by("name")
    coordinated = coordinated_network_ids(user)
    context = {
        "page_obj": page_obj,
        "requests": page_obj.object_list,
        "now": timezone.now(),
        "networks": [(network, network.pk in coordinated) for network in networks],
    }
    return render(request, "advice/my_requests.html", context)


def _filtered(queryset: Any, form: QueueFilterForm) -> Any:
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status", "")
    if status == "all":
        pass
    elif status in AdviceStatus.values:
        queryset = queryset.filter(status=status)
    else:
        queryset = queryset.filter(status__in=sorted(OPEN_STATUSES))
    if data.get("stage"):
        queryset = queryset.filter(stage=data["stage"])
    if data.get("method"):
        queryset = queryset.filter(method=data["method"])
    if data.get("language"):
        queryset = queryset.filter(preferred_language=data["language"])
    if query := (data.get("q") or "").strip():
        queryset = queryset.filter(
            Q(title__icontains=query)
            | Q(description__icontains=query)
            | Q(requester_organisation__name__icontains=query)
        )
    return queryset


@login_required
@require_safe
def queue(request: HttpRequest, network_slug: str) -> HttpResponse:
    """The network's coordinators' queue: filters, counts per status, ages, paginated."""
    network = get_network_for_user(request, network_slug)
    require_permission(request.user, "advice.view_queue", network)
    form = QueueFilterForm(request.GET or None)
    base = AdviceRequest.objects.filter(network=network)
    counts = base.aggregate(
        **{status: Count("id", filter=Q(status=status)) for status in AdviceStatus.values},
        open=Count("id", filter=Q(status__in=sorted(OPEN_STATUSES))),
    )
    queryset = _filtered(base.for_queue_page(), form)
    page_obj = Paginator(queryset, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "network": network,
        "form": form,
        "open_count": counts["open"],
        "status_counts": [(label, counts[value]) for value, label in AdviceStatus.choices],
        "page_obj": page_obj,
        "requests": page_obj.object_list,
        "now": timezone.now(),
    }
    return render(request, "advice/queue.html", context)


# --- asking -----------------------------------------------------------------------------------------------------------


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = get_network_for_user(request, network_slug)
    if not request.user.has_perm("advice.add_request", network):
        return render(request, "advice/not_a_member.html", {"network": network}, status=403)
    organisations = services.organisations_acting_for(request.user, network)
    form = RequestForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations,
        default_language=getattr(request, "LANGUAGE_CODE", ""),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            advice = services.submit_request(
                actor=request.user,
                network=network,
                organisation=None if data["on_behalf"] == AS_MYSELF else form.organisation(),
                data=services.RequestInput(
                    title=data["title"],
                    stage=data["stage"],
                    method=data["method"],
                    description=data["description"],
                    preferred_language=data["preferred_language"],
                    wanted_from=data["wanted_from"],
                    deadline=data["deadline"],
                ),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your request was sent. A coordinator will assign an expert."))
            return redirect(advice.get_absolute_url())
    return render(request, "advice/ask.html", {"network": network, "form": form})


# --- one request ------------------------------------------------------------------------------------------------------


def _flags(user: Any, advice: AdviceRequest) -> dict[str, bool]:
    return {
        "can_post": user.has_perm("advice.post_message", advice),
        "can_assign": user.has_perm("advice.assign_expert", advice),
        "can_decline": user.has_perm("advice.decline_request", advice),
        "can_close": user.has_perm("advice.close_request", advice),
        "can_rate": user.has_perm("advice.rate_request", advice),
        "is_coordinator": user.has_perm("advice.view_queue", advice.network),
    }


def _language_name(code: str) -> str:
    from veche.network.choices import LanguageChoices

    try:
        return str(LanguageChoices(code).label)
    except ValueError:
        return code


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The request, its thread and the message form; the actions the user may take."""
    advice = get_request_for_user(request, pk, detail=True)
    flags = _flags(request.user, advice)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not flags["can_post"]:
            raise PermissionDenied
        if form.is_valid():
            try:
                message = services.post_message(
                    actor=request.user, request=advice, body=form.cleaned_data["body"], files=form.cleaned_data["files"]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Your message was sent."))
                return redirect(message.get_absolute_url())
    thread = list(advice.messages.all())
    context = {
        "advice": advice,
        "language_name": _language_name(advice.preferred_language),
        "thread": thread,
        "form": form,
        "now": timezone.now(),
        "can_hide": flags["is_coordinator"],
        **flags,
    }
    return render(request, "advice/detail.html", context)


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Suggested experts, best match first, and the choice of one."""
    advice = get_request_for_permission(request, pk, "advice.assign_expert")
    show_all = request.GET.get("all") == "1"
    page_obj = None
    if show_all:  # every eligible practitioner, still best first, a page at a time
        page_obj = Paginator(experts.suggestions(advice, limit=None), ASSIGN_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        options = list(page_obj.object_list)
    else:
        options = experts.suggestions(advice, limit=10)
    form = AssignForm(request.POST or None, options=options, initial={"expected_expert": advice.expert_id})
    if request.method == "POST" and form.is_valid():
        expert = get_user_model().objects.filter(pk=form.cleaned_data["expert"]).first()
        try:
            services.assign_expert(
                actor=request.user,
                request=advice,
                expert=expert,
                expected_expert_id=form.cleaned_data["expected_expert"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is now the expert on this request.") % {"name": expert.public_name})
            return redirect(advice.get_absolute_url())
    context = {"advice": advice, "options": options, "form": form, "show_all": show_all, "page_obj": page_obj}
    return render(request, "advice/assign.html", context)


def _simple_action(
    request: HttpRequest,
    pk: int,
    *,
    permission: str,
    form_class: type,
    template: str,
    act: Any,
    done: str,
) -> HttpResponse:
    advice = get_request_for_permission(request, pk, permission)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            act(advice, form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(advice.get_absolute_url())
    return render(request, template, {"advice": advice, "form": form})


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(
        request,
        pk,
        permission="advice.decline_request",
        form_class=DeclineForm,
        template="advice/decline.html",
        act=lambda advice, data: services.decline_request(actor=request.user, request=advice, reason=data["reason"]),
        done=_("The request was declined; the requester has been told why."),
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(
        request,
        pk,
        permission="advice.close_request",
        form_class=CloseForm,
        template="advice/close.html",
        act=lambda advice, data: services.close_request(actor=request.user, request=advice, summary=data["summary"]),
        done=_("The request is closed. The requester is asked to rate the advice."),
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(
        request,
        pk,
        permission="advice.rate_request",
        form_class=RateForm,
        template="advice/rate.html",
        act=lambda advice, data: services.rate_request(
            actor=request.user, request=advice, rating=data["rating"], comment=data["comment"]
        ),
        done=_("Thank you for rating the advice."),
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def hide_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(AdviceMessage.objects.select_related("request__network", "author"), pk=pk)
    if not request.user.has_perm("advice.view_request", message.request):
        raise Http404
    require_permission(request.user, "advice.hide_message", message)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_message(actor=request.user, message=message, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The message is hidden."))
            return redirect(message.get_absolute_url())
    return render(request, "advice/hide_message.html", {"message": message, "advice": message.request, "form": form})


@login_required
@require_safe
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A file from the thread, only for those who may see the request; never rendered by the browser."""
    item = get_object_or_404(AdviceAttachment.objects.select_related("message__request__network"), pk=pk)
    advice = item.message.request
    if not request.user.has_perm("advice.view_request", advice):
        raise Http404
    if item.message.is_hidden and not request.user.has_perm("advice.view_queue", advice.network):
        raise Http404
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)
    response["Content-Type"] = item.content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


def report_url(message: AdviceMessage) -> str:
    return reverse("contributions:report", kwargs={"label": "advice.advicemessage", "object_id": message.pk})
