"""The report: its public page and files, and the coordinator's page to describe the decision, build the report
(progress shown while the task runs; the page refreshes itself) and publish it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from veche.consultations.access import get_consultation_for_user
from veche.consultations.forms_report import OutcomeForm
from veche.consultations.models import ConsultationReport, ReportBuild, ReportState
from veche.consultations.querysets_report import response_progress
from veche.consultations.report_exports import present, rows
from veche.consultations.services import checklist as standards
from veche.consultations.services import report as services
from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes

CONTRIBUTIONS_PER_PAGE = 50
FILES = {
    "report.pdf": ("pdf", "application/pdf"),
    "contributions.csv": ("csv", "text/csv; charset=utf-8"),
    "contributions.xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def _done_build(consultation, user) -> tuple[ReportBuild | None, bool]:
    """The build to show: the published one; for staff before publication the latest finished one (preview)."""
    build = services.published_build(consultation)
    if build is not None:
        return build, False
    if not user.has_perm("consultations.view_response_queue", consultation):
        return None, False
    preview = (
        ReportBuild.objects.filter(consultation=consultation, state=ReportState.DONE)
        .order_by("-created_at", "-id")
        .first()
    )
    return preview, True


@require_safe
def report_page(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug)
    if not request.user.has_perm("consultations.view_report", consultation):
        raise Http404
    build, preview = _done_build(consultation, request.user)
    can_manage = services.can_manage_now(request.user, consultation)
    if build is None:
        if can_manage:
            return redirect("consultations:report_manage", org_slug=org_slug, slug=slug)
        raise Http404
    snapshot = build.snapshot
    page = Paginator(snapshot["contributions"], CONTRIBUTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/report/report.html",
        {
            **present(snapshot),
            "consultation": consultation,
            "organisation": consultation.organisation,
            "build": build,
            "preview": preview,
            "page_obj": page,
            "rows": rows(list(page.object_list)),
            "can_manage": can_manage,
            "file_urls": _file_urls(consultation, build, preview),
            "pdf": False,
        },
    )


def _file_urls(consultation, build: ReportBuild, preview: bool) -> list[tuple[str, str]]:
    args = [consultation.organisation.slug, consultation.slug]
    labels = {
        "report.pdf": _("Report (PDF)"),
        "contributions.csv": _("All contributions (CSV)"),
        "contributions.xlsx": _("All contributions (XLSX)"),
    }
    urls = []
    for name, label in labels.items():
        if preview:
            url = reverse("consultations:report_build_file", args=[*args, build.pk, name])
        else:
            url = reverse("consultations:report_file", args=[*args, name])
        urls.append((label, url))
    return urls


def _serve(build: ReportBuild, name: str, consultation) -> FileResponse:
    if name not in FILES:
        raise Http404
    field, content_type = FILES[name]
    stored = getattr(build, field)
    if not stored:
        raise Http404
    filename = f"{consultation.slug}-{name}"
    response = FileResponse(
        stored.open("rb"), content_type=content_type, as_attachment=name != "report.pdf", filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def report_file(request: HttpRequest, org_slug: str, slug: str, name: str) -> FileResponse:
    consultation = get_consultation_for_user(request, org_slug, slug)
    build = services.published_build(consultation)
    if build is None:
        raise Http404
    return _serve(build, name, consultation)


@login_required
@require_safe
def report_build_file(request: HttpRequest, org_slug: str, slug: str, build_id: int, name: str) -> FileResponse:
    consultation = get_consultation_for_user(request, org_slug, slug)
    build = services.get_build_for_staff(request.user, consultation, build_id)
    return _serve(build, name, consultation)


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def report_manage(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug, permission="consultations.view_response_queue")
    can_manage = services.can_manage_now(request.user, consultation)
    report = ConsultationReport.objects.filter(consultation=consultation).first()
    form = OutcomeForm(
        request.POST if request.method == "POST" and request.POST.get("action") == "outcome" else None,
        initial={"outcome": report.outcome if report else ""},
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        here = reverse("consultations:report_manage", args=[org_slug, slug])
        try:
            if action == "outcome":
                if form.is_valid():
                    services.save_outcome(actor=request.user, consultation=consultation, **form.cleaned_data)
                    messages.success(request, _("The decision text was saved."))
                    return redirect(here)
            elif action in ("build", "publish"):
                services.request_build(actor=request.user, consultation=consultation, publish=action == "publish")
                messages.success(
                    request,
                    _("The report is being built and will be published when it is ready.")
                    if action == "publish"
                    else _("The report is being built."),
                )
                return redirect(here)
        except ValidationError as exc:
            if action == "outcome":
                apply_service_errors(form, exc)
            else:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect(here)
    answered, total = response_progress(consultation)
    build = services.latest_build(consultation)
    return render(
        request,
        "consultations/report/manage.html",
        {
            "consultation": consultation,
            "organisation": consultation.organisation,
            "form": form,
            "can_manage": can_manage,
            "answered": answered,
            "total": total,
            "blockers": services.publication_blockers(consultation) if can_manage else [],
            "build": build,
            "running": build is not None and build.is_running,
            "published": consultation.report_published_at is not None,
            "can_assess": request.user.has_perm(standards.ASSESS, consultation),
            "can_manage_standards": request.user.has_perm(standards.MANAGE, consultation.organisation),
        },
    )
