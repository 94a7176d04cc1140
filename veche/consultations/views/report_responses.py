"""Staff pages for answering contributions: the work queue (filters, bulk answer, bulk theme), one contribution's
response, the themes and one theme's response. Views fetch and authorise, call services/responses.py, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from veche.consultations.access import get_consultation_for_user
from veche.consultations.forms_report import BulkForm, QueueFilterForm, ResponseForm, ThemeForm
from veche.consultations.models import Consultation, Contribution, Theme
from veche.consultations.querysets_report import ANSWERED, for_response_queue, response_progress, with_responses
from veche.consultations.services import responses as services
from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes

QUEUE_PAGE_SIZE = 25
QUEUE = "consultations.view_response_queue"
RESPOND = "consultations.respond_contribution"


def get_consultation_for_staff(request: HttpRequest, org_slug: str, slug: str) -> Consultation:
    """The consultation if the user may see its work queue: 404 when they may not see it, 403 when not staff."""
    return get_consultation_for_user(request, org_slug, slug, permission=QUEUE)


def _queue_url(consultation: Consultation) -> str:
    return reverse("consultations:responses", args=[consultation.organisation.slug, consultation.slug])


def _filtered(queryset: QuerySet, form: QueueFilterForm) -> QuerySet:
    if not form.is_valid():
        return queryset
    data = form.cleaned_data
    if query := data["q"].strip():
        queryset = queryset.filter(Q(text__icontains=query) | Q(proposed_text__icontains=query))
    if data["state"] == "unanswered":
        queryset = queryset.exclude(ANSWERED)
    elif data["state"] == "answered":
        queryset = queryset.filter(ANSWERED)
    if data["kind"]:
        queryset = queryset.filter(kind=data["kind"])
    if data["channel"]:
        queryset = queryset.filter(channel=data["channel"])
    if data["section"]:
        queryset = queryset.filter(paragraph__section_id=int(data["section"]))
    if data["theme"] == "none":
        queryset = queryset.filter(theme_link__isnull=True)
    elif data["theme"]:
        queryset = queryset.filter(theme_link__theme_id=int(data["theme"]))
    return queryset


def _apply_bulk(request: HttpRequest, consultation: Consultation, bulk: BulkForm) -> bool:
    """Run the bulk action; False (with the errors on the form) when the service refused it."""
    data = bulk.cleaned_data
    chosen = list(data["contributions"])
    try:
        if data["action"] == "answer":
            outcome = services.respond_many(
                actor=request.user,
                consultation=consultation,
                contributions=chosen,
                outcome=data["outcome"],
                justification=data["justification"],
            )
            done = len(outcome.answered)
            messages.success(
                request,
                ngettext("%(count)d contribution answered.", "%(count)d contributions answered.", done)
                % {"count": done},
            )
            for contribution, reason in outcome.refused:
                messages.error(
                    request,
                    _("“%(text)s” was left as it was: %(reason)s") % {"text": contribution.text[:60], "reason": reason},
                )
        elif data["action"] == "theme":
            theme = data["theme"] or services.create_theme(
                actor=request.user, consultation=consultation, title=data["new_theme"]
            )
            moved = services.assign_to_theme(
                actor=request.user, theme=theme, contributions=chosen, consultation=consultation
            )
            messages.success(
                request,
                ngettext(
                    "%(count)d contribution put into “%(theme)s”.",
                    "%(count)d contributions put into “%(theme)s”.",
                    moved,
                )
                % {"count": moved, "theme": theme.title},
            )
        else:
            moved = services.assign_to_theme(
                actor=request.user, theme=None, contributions=chosen, consultation=consultation
            )
            messages.success(
                request,
                ngettext(
                    "%(count)d contribution taken out of its theme.",
                    "%(count)d contributions taken out of their theme.",
                    moved,
                )
                % {"count": moved},
            )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "title" in exc.error_dict:
            exc = ValidationError({"new_theme": exc.error_dict["title"]})
        apply_service_errors(bulk, exc)
        return False
    return True


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def response_queue(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_staff(request, org_slug, slug)
    can_respond = services.can_respond_now(request.user, consultation)
    bulk = BulkForm(request.POST if request.method == "POST" else None, consultation=consultation)
    if request.method == "POST":
        if not can_respond:
            raise PermissionDenied
        if bulk.is_valid() and _apply_bulk(request, consultation, bulk):
            query = request.GET.urlencode()
            target = _queue_url(consultation)
            return redirect(f"{target}?{query}" if query else target)
    themes = list(Theme.objects.filter(consultation=consultation))
    filters = QueueFilterForm(request.GET or None, consultation=consultation, themes=themes)
    contributions = _filtered(for_response_queue(consultation), filters)
    page = Paginator(contributions, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    selected = set(request.POST.getlist("contributions"))
    rows = [
        {"contribution": item, "response": services.effective_response(item), "selected": str(item.pk) in selected}
        for item in page.object_list
    ]
    answered, total = response_progress(consultation)
    return render(
        request,
        "consultations/report/queue.html",
        {
            "consultation": consultation,
            "organisation": consultation.organisation,
            "page_obj": page,
            "rows": rows,
            "filters": filters,
            "filtered": filters.active,
            "bulk": bulk,
            "themes": themes,
            "can_respond": can_respond,
            "answered": answered,
            "total": total,
            "unanswered": total - answered,
        },
    )


def _contribution_for_staff(consultation: Consultation, pk: int) -> Contribution:
    contribution = with_responses(Contribution.objects.filter(consultation=consultation, pk=pk)).first()
    if contribution is None:
        raise Http404
    contribution.consultation = consultation
    return contribution


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def respond_contribution(request: HttpRequest, org_slug: str, slug: str, pk: int) -> HttpResponse:
    consultation = get_consultation_for_staff(request, org_slug, slug)
    contribution = _contribution_for_staff(consultation, pk)
    can_respond = services.can_respond_now(request.user, consultation)
    own = getattr(contribution, "official_response", None)
    initial = {"outcome": own.outcome, "justification": own.justification} if own else None
    form = ResponseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not can_respond:
            raise PermissionDenied
        if request.POST.get("remove") and own is not None:
            services.remove_response(actor=request.user, response=own)
            messages.success(request, _("The response was removed; the contribution is waiting for an answer again."))
            return redirect(_queue_url(consultation))
        if form.is_valid():
            try:
                services.respond(actor=request.user, contribution=contribution, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The response was saved."))
                return redirect(_next_unanswered_url(consultation, contribution))
    link = getattr(contribution, "theme_link", None)
    return render(
        request,
        "consultations/report/respond.html",
        {
            "consultation": consultation,
            "organisation": consultation.organisation,
            "contribution": contribution,
            "own": own,
            "theme": link.theme if link else None,
            "theme_response": getattr(link.theme, "response", None) if link else None,
            "form": form,
            "can_respond": can_respond,
            "queue_url": _queue_url(consultation),
        },
    )


def _next_unanswered_url(consultation: Consultation, after: Contribution) -> str:
    """Straight on to the next contribution waiting for an answer, or back to the queue when none is left."""
    from veche.consultations.querysets_report import unanswered

    following = unanswered(consultation).exclude(pk=after.pk).order_by("created_at", "id").values_list("pk", flat=True)
    next_pk = following.first()
    if next_pk is None:
        return _queue_url(consultation)
    return reverse("consultations:respond", args=[consultation.organisation.slug, consultation.slug, next_pk])


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def theme_list(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_staff(request, org_slug, slug)
    can_respond = services.can_respond_now(request.user, consultation)
    form = ThemeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_respond:
            raise PermissionDenied
        if form.is_valid():
            try:
                theme = services.create_theme(actor=request.user, consultation=consultation, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Theme “%(title)s” created.") % {"title": theme.title})
                return redirect(_theme_url(theme, consultation))
    themes = (
        Theme.objects.filter(consultation=consultation)
        .select_related("response")
        .annotate(member_count=Count("members"))
    )
    return render(
        request,
        "consultations/report/themes.html",
        {
            "consultation": consultation,
            "organisation": consultation.organisation,
            "themes": themes,
            "form": form,
            "can_respond": can_respond,
            "queue_url": _queue_url(consultation),
        },
    )


def _theme_url(theme: Theme, consultation: Consultation) -> str:
    return reverse("consultations:theme", args=[consultation.organisation.slug, consultation.slug, theme.pk])


THEME_MEMBERS_SHOWN = 200


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def theme_detail(request: HttpRequest, org_slug: str, slug: str, pk: int) -> HttpResponse:
    consultation = get_consultation_for_staff(request, org_slug, slug)
    theme = Theme.objects.filter(consultation=consultation, pk=pk).select_related("response").first()
    if theme is None:
        raise Http404
    theme.consultation = consultation
    can_respond = services.can_respond_now(request.user, consultation)
    response = getattr(theme, "response", None)
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action") if posted else None
    initial = {"outcome": response.outcome, "justification": response.justification} if response else None
    form = ResponseForm(posted if action == "respond" else None, initial=initial)
    theme_form = ThemeForm(
        posted if action == "edit" else None, initial={"title": theme.title, "description": theme.description}
    )
    if posted is not None:
        if not can_respond:
            raise PermissionDenied
        result = _theme_action(request, consultation, theme, action, form, theme_form)
        if result is not None:
            return result
    members = with_responses(Contribution.objects.filter(theme_link__theme=theme).order_by("created_at", "id"))[
        :THEME_MEMBERS_SHOWN
    ]
    rows = [{"contribution": item, "own": getattr(item, "official_response", None)} for item in members]
    return render(
        request,
        "consultations/report/theme.html",
        {
            "consultation": consultation,
            "organisation": consultation.organisation,
            "theme": theme,
            "response": response,
            "rows": rows,
            "member_count": theme.members.count(),
            "shown": THEME_MEMBERS_SHOWN,
            "form": form,
            "theme_form": theme_form,
            "can_respond": can_respond,
            "queue_url": _queue_url(consultation),
        },
    )


def _theme_action(
    request: HttpRequest,
    consultation: Consultation,
    theme: Theme,
    action: Any,
    form: ResponseForm,
    theme_form: ThemeForm,
) -> HttpResponse | None:
    try:
        if action == "respond" and form.is_valid():
            services.respond_to_theme(actor=request.user, theme=theme, **form.cleaned_data)
            messages.success(request, _("The theme's response was saved; it answers every contribution in it."))
            return redirect(_theme_url(theme, consultation))
        if action == "edit" and theme_form.is_valid():
            services.update_theme(actor=request.user, theme=theme, **theme_form.cleaned_data)
            messages.success(request, _("The theme was saved."))
            return redirect(_theme_url(theme, consultation))
        if action == "delete":
            services.delete_theme(actor=request.user, theme=theme)
            messages.success(request, _("The theme was deleted."))
            return redirect(reverse("consultations:themes", args=[consultation.organisation.slug, consultation.slug]))
    except ValidationError as exc:
        apply_service_errors(form if action == "respond" else theme_form, exc)
    return None
