"""Follows and reports: the two mechanisms every app shares for anything people contribute or care about.

Both point at their target with a generic relation, because they are truly cross-cutting (ARCHITECTURE.md allows
generic relations for follows and reports only): a consultation, a comment, a practitioner's message.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from veche.contributions.choices import ReportReason, ReportStatus
from veche.contributions.querysets import ReportQuerySet
from veche.core.models import TimeStampedModel


class Follow(models.Model):
    """A person follows something (a consultation, a case …) and hears about it through notifications."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows", verbose_name=_("person")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("kind of object"))
    object_id = models.PositiveBigIntegerField(_("object"))
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="one_follow_per_target")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="follow_target")]

    def __str__(self) -> str:
        return f"#{self.user_id} → {self.content_type.model} #{self.object_id}"


class Report(TimeStampedModel):
    """Someone tells the moderators that a piece of content breaks the rules. The organisation whose moderators
    handle it is fixed when the report is made, so the queue is one indexed query."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_made",
        verbose_name=_("reported by"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="reports", verbose_name=_("organisation")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("kind of content"))
    object_id = models.PositiveBigIntegerField(_("content"))
    target = GenericForeignKey("content_type", "object_id")
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    explanation = models.TextField(_("explanation"), blank=True, max_length=2000)
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("moderator's note"), blank=True, max_length=2000)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "content_type", "object_id"],
                condition=models.Q(status="open"),
                name="one_open_report_per_reporter",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="report_queue"),
            models.Index(fields=["content_type", "object_id"], name="report_target"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} — {self.content_type.model} #{self.object_id}"

    def audit_repr(self) -> str:
        """No reporter: the audit log outlives erasure."""
        return f"{self.get_reason_display()} — {self.content_type.model} #{self.object_id}"

    @property
    def is_open(self) -> bool:
        return self.status == ReportStatus.OPEN
