"""Every voice heard in a consultation, whatever the channel: a comment on a paragraph, a proposed wording, a reply,
a survey's text answer, or what staff wrote down at a meeting or from a paper form. One table, so that responses,
themes and the report treat all channels alike; each part keeps its extras in its own satellite model."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from veche.consultations.choices import ANSWERABLE_KINDS, Channel, ContributionKind, ContributionStatus
from veche.consultations.querysets import ContributionQuerySet


class Contribution(models.Model):
    consultation = models.ForeignKey(
        "consultations.Consultation",
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name=_("consultation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContributionKind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    participant = models.ForeignKey(
        "consultations.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("participant"),
    )
    author_label = models.CharField(
        _("from"), max_length=200, blank=True, help_text=_("Offline input: who it came from, e.g. 'meeting in Kolín'.")
    )
    paragraph = models.ForeignKey(
        "consultations.Paragraph",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("paragraph"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    text = models.TextField(_("text"))
    proposed_text = models.TextField(_("proposed wording"), blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True, help_text=_("Offline input: its date."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ContributionStatus.choices, default=ContributionStatus.PUBLISHED
    )
    moderation_reason = models.TextField(
        _("moderator's reason"), blank=True, help_text=_("Shown publicly in place of a hidden contribution.")
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    fingerprint = models.CharField(
        _("fingerprint"), max_length=64, blank=True, help_text=_("Hash of author and normalised text: duplicates.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["consultation", "kind", "status"], name="contribution_kind"),
            models.Index(fields=["paragraph", "created_at"], name="contribution_paragraph"),
            models.Index(fields=["consultation", "fingerprint"], name="contribution_fingerprint"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_hidden(self) -> bool:
        return self.status == ContributionStatus.HIDDEN

    @property
    def is_answerable(self) -> bool:
        """Needs an official response after closing."""
        return self.kind in ANSWERABLE_KINDS
