"""The consultation report: the coordinator's account of the decision, building the report (a task with progress),
publishing it, and telling participants and followers once it is out.

Building reads the consultation into a snapshot (report_snapshot.py) and writes the PDF, CSV and XLSX from it
(report_exports.py); the ReportBuild row records the progress the coordinator's page shows. Publishing is refused
while any contribution waits for an answer; it runs as a build with publish=True whose last step, under a lock of
the consultation row, checks again that everything is answered and that no response changed while the build ran,
then freezes the build as the published report and notifies on commit.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from veche.audit.services import record
from veche.consultations.models import (
    Consultation,
    ConsultationReport,
    OfficialResponse,
    ReportBuild,
    ReportState,
)
from veche.consultations.querysets_report import unanswered
from veche.core.permissions import require_permission

logger = logging.getLogger(__name__)

MANAGE = "consultations.manage_report"
MAX_OUTCOME = 20_000
# Progress in thousandths: reading the contributions, the spreadsheets, then the PDF page by page (the longest).
UNITS, SNAPSHOT_UNITS, SHEET_UNITS = 1000, 150, 50
PDF_UNITS = UNITS - SNAPSHOT_UNITS - SHEET_UNITS

ACTION_LABELS = {
    "consultations.report_outcome_changed": gettext_lazy("Consultation report: decision text changed"),
    "consultations.report_build_requested": gettext_lazy("Consultation report: build requested"),
    "consultations.report_published": gettext_lazy("Consultation report published"),
}


def report_for(consultation: Consultation) -> ConsultationReport:
    """The consultation's report row, created on first use."""
    report, _created = ConsultationReport.objects.get_or_create(consultation=consultation)
    return report


def _check_before_publication(consultation: Consultation) -> None:
    if consultation.report_published_at is not None:
        raise ValidationError(_("The report is already published."))
    if not consultation.is_closed():
        raise ValidationError(_("The report can be built once the consultation has closed."))


def can_manage_now(user: Any, consultation: Consultation) -> bool:
    """Whether the page should offer writing, building and publishing (permission and time, superusers included)."""
    if not user.has_perm(MANAGE, consultation):
        return False
    try:
        _check_before_publication(consultation)
    except ValidationError:
        return False
    return True


def save_outcome(*, actor: Any, consultation: Consultation, outcome: str) -> ConsultationReport:
    """Write what was decided and why. Coordinators, after closing and before publication. Audits."""
    require_permission(actor, MANAGE, consultation)
    _check_before_publication(consultation)
    text = (outcome or "").strip()
    if len(text) > MAX_OUTCOME:
        raise ValidationError({"outcome": _("Keep it under %(limit)s characters.") % {"limit": MAX_OUTCOME}})
    with transaction.atomic():
        report = report_for(consultation)
        report.outcome = text
        report.save(update_fields=["outcome", "updated_at"])
        record(actor=actor, action="consultations.report_outcome_changed", target=consultation)
    return report


def latest_build(consultation: Consultation) -> ReportBuild | None:
    return ReportBuild.objects.filter(consultation=consultation).order_by("-created_at", "-id").first()


def publication_blockers(consultation: Consultation) -> list[str]:
    """Why the report cannot be published now, in words for the coordinator (empty when it can). Two queries."""
    reasons = []
    waiting = unanswered(consultation).count()
    if waiting:
        reasons.append(
            ngettext(
                "%(count)d contribution still waits for an official response.",
                "%(count)d contributions still wait for an official response.",
                waiting,
            )
            % {"count": waiting}
        )
    report = ConsultationReport.objects.filter(consultation=consultation).first()
    if report is None or not report.outcome.strip():
        reasons.append(_("Describe what was decided and why."))
    return reasons


def request_build(*, actor: Any, consultation: Consultation, publish: bool = False) -> ReportBuild:
    """Queue a build of the report (and its publication, with publish=True); the task starts on commit.

    Coordinators, after closing and before publication. Publishing is refused (ValidationError listing why) while
    a contribution is unanswered or the decision is not described. A build already waiting or running is returned
    instead of starting another (a double click starts one). Audits."""
    require_permission(actor, MANAGE, consultation)
    _check_before_publication(consultation)
    if publish and (reasons := publication_blockers(consultation)):
        raise ValidationError(reasons)
    with transaction.atomic():
        Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
        running = (
            ReportBuild.objects.filter(consultation=consultation, state__in=[ReportState.QUEUED, ReportState.RUNNING])
            .order_by("-created_at")
            .first()
        )
        if running is not None:
            if publish and not running.publish:
                running.publish = True
                running.save(update_fields=["publish"])
            return running
        build = ReportBuild.objects.create(consultation=consultation, publish=publish, requested_by=actor)
        report_for(consultation)
        record(
            actor=actor,
            action="consultations.report_build_requested",
            target=consultation,
            data={"build": build.pk, "publish": publish},
        )
        transaction.on_commit(lambda: _enqueue_build(build.pk))
    return build


def _enqueue_build(build_id: int) -> None:
    from veche.consultations.tasks import build_report_task

    build_report_task.enqueue(build_id=build_id)


def _progress(build_id: int, done: int, total: int) -> None:
    ReportBuild.objects.filter(pk=build_id).update(done=done, total=total)


def run_build(build_id: int) -> ReportBuild:
    """Build the snapshot and the files of one queued build, recording progress; publish it if asked. Called by the
    task (or directly, e.g. by the demo). A failure is recorded on the build, so the page does not keep waiting."""
    from veche.consultations.report_exports import (
        PAGES_PER_CONTRIBUTION,
        contributions_csv,
        contributions_xlsx,
        report_pdf,
    )
    from veche.consultations.report_snapshot import build_snapshot

    build = ReportBuild.objects.select_related("consultation").get(pk=build_id)
    if build.state not in (ReportState.QUEUED, ReportState.RUNNING):
        return build
    consultation = build.consultation
    started = timezone.now()
    ReportBuild.objects.filter(pk=build.pk).update(state=ReportState.RUNNING, started_at=started, error="")
    timings: dict[str, float] = {}
    try:
        with translation.override(consultation.language):
            clock = time.perf_counter()
            snapshot = build_snapshot(
                consultation,
                progress=lambda done, total: _progress(build.pk, int(SNAPSHOT_UNITS * done / max(total, 1)), UNITS),
            )
            timings["snapshot"] = time.perf_counter() - clock
            files = {}
            clock = time.perf_counter()
            files["csv"] = ("contributions.csv", contributions_csv(snapshot))
            files["xlsx"] = ("contributions.xlsx", contributions_xlsx(snapshot))
            timings["csv_xlsx"] = time.perf_counter() - clock
            _progress(build.pk, SNAPSHOT_UNITS + SHEET_UNITS, UNITS)
            expected = max(len(snapshot["contributions"]) * PAGES_PER_CONTRIBUTION + 5, 1)

            def on_page(page: int) -> None:
                if page % 10 == 0:
                    share = min(page / expected, 0.99)
                    _progress(build.pk, SNAPSHOT_UNITS + SHEET_UNITS + int(PDF_UNITS * share), UNITS)

            clock = time.perf_counter()
            files["pdf"] = ("report.pdf", report_pdf(snapshot, on_page=on_page))
            timings["pdf"] = time.perf_counter() - clock
        total = UNITS
        build.refresh_from_db()
        for name, (filename, content) in files.items():
            getattr(build, name).save(filename, ContentFile(content), save=False)
        build.snapshot, build.timings = snapshot, timings
        build.state, build.finished_at = ReportState.DONE, timezone.now()
        build.done = build.total = total
        build.save()
    except Exception as exc:
        logger.exception("report build failed", extra={"build": build.pk})
        ReportBuild.objects.filter(pk=build.pk).update(
            state=ReportState.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        raise
    if build.publish:
        try:
            _publish(build, started=started)
        except ValidationError as exc:
            ReportBuild.objects.filter(pk=build.pk).update(error=" ".join(exc.messages))
            build.error = " ".join(exc.messages)
    return build


def _publish(build: ReportBuild, *, started: Any) -> None:
    """Freeze build as the published report if nothing changed meanwhile; notify on commit."""
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=build.consultation_id)
        if consultation.report_published_at is not None:
            raise ValidationError(_("The report was already published."))
        if reasons := publication_blockers(consultation):
            raise ValidationError(reasons)
        changed = OfficialResponse.objects.filter(consultation=consultation).aggregate(last=Max("updated_at"))["last"]
        if changed is not None and changed > started:
            raise ValidationError(_("Responses changed while the report was being built. Publish it again."))
        now = timezone.now()
        consultation.report_published_at = now
        consultation.save(update_fields=["report_published_at"])
        report = report_for(consultation)
        report.published_build = build
        report.save(update_fields=["published_build", "updated_at"])
        record(
            actor=build.requested_by,
            action="consultations.report_published",
            target=consultation,
            data={"build": build.pk, "contributions": len(build.snapshot["contributions"])},
        )
        transaction.on_commit(lambda: _enqueue_notifications(consultation.pk))


def _enqueue_notifications(consultation_id: int) -> None:
    from veche.consultations.tasks import notify_report_published_task

    notify_report_published_task.enqueue(consultation_id=consultation_id)


def published_build(consultation: Consultation) -> ReportBuild | None:
    """The published report's build (one query), or None before publication."""
    if consultation.report_published_at is None:
        return None
    report = ConsultationReport.objects.filter(consultation=consultation).select_related("published_build").first()
    return report.published_build if report else None


def get_build_for_staff(user: Any, consultation: Consultation, build_id: int) -> ReportBuild:
    if not user.has_perm("consultations.view_response_queue", consultation):
        raise PermissionDenied
    build = ReportBuild.objects.filter(consultation=consultation, pk=build_id).first()
    if build is None:
        from django.http import Http404

        raise Http404
    return build


# --- telling people -----------------------------------------------------------------------------------------------


def report_recipients(consultation: Consultation) -> tuple[list[Any], list[Any]]:
    """(accounts, anonymous participants) to tell about the report: participants who asked to hear about it and
    followers of the consultation, each person once. A participant who said no (notify=False) is left out even if
    they follow the consultation. Anonymous participants need a verified address and to have taken part (a
    contribution, a support or a survey answer: their row exists from the moment they ask for a link, an account's
    only from its first write); one message per address, and none to the address of an account told already (the
    same person, who also took part signed in)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    from veche.consultations.models import Contribution, Participant, Support, SurveyResponse
    from veche.contributions.services import followers_of

    participants = Participant.objects.filter(consultation=consultation)
    declined = set(participants.filter(notify=False, user__isnull=False).values_list("user_id", flat=True))
    wanted = set(participants.filter(notify=True, user__isnull=False).values_list("user_id", flat=True))
    followers = set(followers_of(consultation).values_list("pk", flat=True))
    user_ids = (wanted | followers) - declined
    users = list(get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))
    seen = {user.email.casefold() for user in users if user.email}
    anonymous = []
    took_part = (
        Exists(Contribution.objects.filter(participant=OuterRef("pk")))
        | Exists(Support.objects.filter(participant=OuterRef("pk")))
        | Exists(SurveyResponse.objects.filter(participant=OuterRef("pk")))
    )
    for participant in (
        participants.filter(took_part, user__isnull=True, notify=True, email_verified_at__isnull=False)
        .exclude(email="")
        .order_by("pk")
    ):
        address = participant.email.casefold()
        if address not in seen:
            seen.add(address)
            anonymous.append(participant)
    return users, anonymous


def notify_report_published(*, consultation_id: int) -> int:
    """Tell participants and followers that the report is out, with the link to the evaluation survey; once per
    consultation (the report row is locked and marked). Each person gets the links in their own language (the URL
    prefix decides the page's language): accounts in theirs, anonymous participants in the consultation's. Returns
    how many people were told."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.urls import reverse

    from veche.consultations.services.evaluation import evaluation_token
    from veche.core.mail import send_email_later
    from veche.notifications.services import language_of, notify, translatable

    consultation = Consultation.objects.select_related("organisation").get(pk=consultation_id)
    args = [consultation.organisation.slug, consultation.slug]
    site = settings.SITE_URL.rstrip("/")
    with transaction.atomic():
        report = ConsultationReport.objects.select_for_update().get(consultation=consultation)
        if report.notified_at is not None or consultation.report_published_at is None:
            return 0
        users, anonymous = report_recipients(consultation)
        by_language: dict[str, list[Any]] = {}
        for user in users:
            by_language.setdefault(language_of(user), []).append(user)
        for language, group in by_language.items():
            with translation.override(language):
                report_url = reverse("consultations:report", args=args)
                evaluation_url = site + reverse("consultations:evaluation", args=args)
            notify(
                recipients=group,
                kind="consultations.report_published",
                title=translatable(
                    gettext_lazy("The report of “%(subject)s” is published"), subject=consultation.subject
                ),
                body=translatable(
                    gettext_lazy(
                        "Every contribution got an answer. Read what was decided and why. Tell us how the "
                        "consultation went: %(evaluation_url)s"
                    ),
                    evaluation_url=evaluation_url,
                ),
                url=report_url,
            )
        with translation.override(consultation.language):
            report_url = site + reverse("consultations:report", args=args)
            for participant in anonymous:
                token_url = reverse("consultations:evaluation_signed", args=[*args, evaluation_token(participant)])
                context = {"consultation": consultation, "report_url": report_url, "evaluation_url": site + token_url}
                send_email_later(
                    subject=_("The report of “%(subject)s” is published") % {"subject": consultation.subject},
                    body=render_to_string("consultations/report/email_report_published.txt", context),
                    to=[participant.email],
                )
        report.notified_at = timezone.now()
        report.save(update_fields=["notified_at", "updated_at"])
    return len(users) + len(anonymous)
