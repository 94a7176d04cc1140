"""The consultation report: the coordinator's account of what was decided and why, and the builds that turn the
consultation's data into a snapshot (JSON), a PDF and CSV/XLSX exports. A build runs as a task and records its
progress, so the coordinator watches it; the published report is one finished build, frozen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ConsultationReport(models.Model):
    """One per consultation, created when the coordinator first writes the outcome or builds the report."""

    consultation = models.OneToOneField(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="report", verbose_name=_("consultation")
    )
    outcome = models.TextField(
        _("what was decided and why"),
        blank=True,
        help_text=_("In plain words: the decision taken after the consultation, and how residents' views shaped it."),
    )
    published_build = models.OneToOneField(
        "consultations.ReportBuild",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published build"),
    )
    notified_at = models.DateTimeField(
        _("participants told"), null=True, blank=True, help_text=_("When participants and followers were notified.")
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("consultation report")
        verbose_name_plural = _("consultation reports")

    def __str__(self) -> str:
        return str(self.consultation)


def _report_file(instance: ReportBuild, filename: str) -> str:
    return f"consultations/reports/{instance.consultation_id}/{instance.pk}/{filename}"


class ReportBuild(models.Model):
    consultation = models.ForeignKey(
        "consultations.Consultation",
        on_delete=models.CASCADE,
        related_name="report_builds",
        verbose_name=_("consultation"),
    )
    state = models.CharField(_("state"), max_length=10, choices=ReportState.choices, default=ReportState.QUEUED)
    publish = models.BooleanField(_("publish when built"), default=False)
    done = models.PositiveIntegerField(_("steps done"), default=0)
    total = models.PositiveIntegerField(_("steps in all"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True)
    timings = models.JSONField(_("timings in seconds"), default=dict, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=_report_file, blank=True)
    csv = models.FileField(_("CSV"), upload_to=_report_file, blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to=_report_file, blank=True)

    class Meta:
        verbose_name = _("report build")
        verbose_name_plural = _("report builds")
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.consultation_id} #{self.pk} {self.state}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_running(self) -> bool:
        return self.state in (ReportState.QUEUED, ReportState.RUNNING)
