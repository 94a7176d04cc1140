"""Closing the loop: official responses to contributions, and themes that group contributions so that several are
answered at once. A response belongs either to one contribution or to one theme; a contribution's effective response
is its own if it has one, else its theme's (services/responses.py, `effective_response`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ResponseOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")


class Theme(models.Model):
    """A group of contributions that say much the same thing (more trees, safer crossings …)."""

    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="themes", verbose_name=_("consultation")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["title", "id"]
        constraints = [models.UniqueConstraint(fields=["consultation", "title"], name="unique_theme_title")]

    def __str__(self) -> str:
        return self.title


class ThemeMember(models.Model):
    """A contribution's place in a theme: at most one theme per contribution, so a theme's answer is unambiguous."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="members", verbose_name=_("theme"))
    contribution = models.OneToOneField(
        "consultations.Contribution",
        on_delete=models.CASCADE,
        related_name="theme_link",
        verbose_name=_("contribution"),
    )

    class Meta:
        verbose_name = _("theme member")
        verbose_name_plural = _("theme members")

    def __str__(self) -> str:
        return f"{self.theme_id} ← {self.contribution_id}"


class OfficialResponse(models.Model):
    """The organisation's answer to one contribution or to a whole theme, with the reasons. Published with the
    report; until then staff may revise it."""

    consultation = models.ForeignKey(
        "consultations.Consultation",
        on_delete=models.CASCADE,
        related_name="official_responses",
        verbose_name=_("consultation"),
    )
    contribution = models.OneToOneField(
        "consultations.Contribution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="official_response",
        verbose_name=_("contribution"),
    )
    theme = models.OneToOneField(
        Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="response", verbose_name=_("theme")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=ResponseOutcome.choices)
    justification = models.TextField(_("justification"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("official response")
        verbose_name_plural = _("official responses")
        ordering = ["answered_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(contribution__isnull=False) & Q(theme__isnull=True))
                | (Q(contribution__isnull=True) & Q(theme__isnull=False)),
                name="response_to_contribution_or_theme",
            )
        ]

    def __str__(self) -> str:
        return str(self.get_outcome_display())
