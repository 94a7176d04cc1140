"""Background tasks of the consultations app (django-tasks). Each task looks its objects up and calls the service
that does the work; every part of the app adds its own tasks here."""

from __future__ import annotations

from django_tasks import task

# --- Set-up and finding ------------------------------------------------------------------------------------------


@task()
def notify_consultation_openings_task() -> list[int]:
    """Tell followers about consultations that opened since the last run (idempotent; see notify_openings)."""
    from veche.consultations.services.following import notify_openings

    return notify_openings()


@task()
def notify_followers_task(*, consultation_id: int, kind: str, include_participants: bool = False) -> int:
    """notify_followers in the background (for parts that announce to many people at once)."""
    from veche.consultations.models import Consultation
    from veche.consultations.services.following import notify_followers

    consultation = Consultation.objects.get(pk=consultation_id)
    return notify_followers(consultation, kind, include_participants=include_participants)


# --- Responses, report, standards and evaluation ----------------------------------------------------------------


@task()
def build_report_task(*, build_id: int) -> None:
    """Build one report (snapshot, CSV, XLSX, PDF), recording progress on the ReportBuild; publish it if asked."""
    from veche.consultations.services.report import run_build

    run_build(build_id)


@task()
def notify_report_published_task(*, consultation_id: int) -> None:
    """Tell participants and followers once that the report is out."""
    from veche.consultations.services.report import notify_report_published

    notify_report_published(consultation_id=consultation_id)
