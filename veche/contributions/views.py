"""Reporting content, and the organisation's moderation queue. Hiding content is the content's own app's page
(Reportable.moderate_url); here moderators see what was reported and dismiss reports that need no action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from veche.contributions import services
from veche.contributions.choices import ReportStatus
from veche.contributions.forms import DismissForm, ReportForm
from veche.contributions.models import Report
from veche.contributions.registry import NotReportableError, group_by_target, reportable_for_label
from veche.core.forms import apply_service_errors
from veche.core.permissions import require_permission
from veche.core.ratelimit import limit_writes
from veche.organisations.lookups import get_organisation_for_permission

PAGE_SIZE = 20


def _reported_object(request: HttpRequest, label: str, object_id: int):
    """The object to report, or 404 when it is not reportable, does not exist or the user may not see it."""
    try:
        reportable = reportable_for_label(label)
    except NotReportableError:
        raise Http404 from None
    target = reportable.queryset().filter(pk=object_id).first()
    if target is None or not reportable.is_visible_to(request.user, target):
        raise Http404
    return reportable, target


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, label: str, object_id: int) -> HttpResponse:
    reportable, target = _reported_object(request, label, object_id)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_content(
                reporter=request.user,
                target=target,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. The moderators will look at it."))
            return redirect(reportable.url(target))
    context = {"form": form, "excerpt": reportable.excerpt(target), "back_url": reportable.url(target)}
    return render(request, "contributions/report.html", context)


def _status(request: HttpRequest) -> str:
    status = request.GET.get("status", ReportStatus.OPEN)
    return status if status in ReportStatus.values else ReportStatus.OPEN


@login_required
def moderation_queue(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Reported content of the organisation, one entry per reported object, oldest open report first."""
    organisation = get_organisation_for_permission(request, org_slug, "contributions.view_moderation_queue")
    status = _status(request)
    reports = Report.objects.filter(organisation=organisation, status=status)
    order = "first_reported" if status == ReportStatus.OPEN else "-last_decided"
    targets = (
        reports.values("content_type_id", "object_id")
        .annotate(count=Count("id"), first_reported=Min("created_at"), last_decided=Max("decided_at"))
        .order_by(order, "object_id")
    )
    page_obj = Paginator(targets, PAGE_SIZE).get_page(request.GET.get("page"))
    keys = {(row["content_type_id"], row["object_id"]) for row in page_obj.object_list}
    wanted = reports.select_related("reporter", "decided_by", "content_type").order_by("created_at", "id")
    if keys:
        condition = Q()
        for content_type_id, object_id in keys:
            condition |= Q(content_type_id=content_type_id, object_id=object_id)
        page_reports = list(wanted.filter(condition))
    else:
        page_reports = []
    items = group_by_target(page_reports)
    position = {(row["content_type_id"], row["object_id"]): index for index, row in enumerate(page_obj.object_list)}
    items.sort(key=lambda item: position[(item.first.content_type_id, item.first.object_id)])
    counts = dict(
        Report.objects.filter(organisation=organisation).values_list("status").annotate(n=Count("id")).order_by()
    )
    context = {
        "organisation": organisation,
        "items": items,
        "page_obj": page_obj,
        "status": status,
        "statuses": [(value, label, counts.get(value, 0)) for value, label in ReportStatus.choices],
        "dismiss_form": DismissForm(),
    }
    return render(request, "contributions/queue.html", context)


@login_required
@limit_writes
@require_POST
def dismiss(request: HttpRequest, org_slug: str, report_id: int) -> HttpResponse:
    organisation = get_organisation_for_permission(request, org_slug, "contributions.view_moderation_queue")
    report_row = get_object_or_404(
        Report.objects.select_related("content_type"), pk=report_id, organisation=organisation
    )
    require_permission(request.user, "contributions.decide_report", report_row)
    form = DismissForm(request.POST)
    target = report_row.target
    if target is None:
        raise Http404
    if form.is_valid():
        try:
            count = services.dismiss_reports(actor=request.user, target=target, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Reports dismissed: %(count)s.") % {"count": count})
    else:
        messages.error(request, _("Say why the content stays, for the people who reported it."))
    return redirect(reverse("contributions:queue", kwargs={"org_slug": organisation.slug}))
