"""Standards and evaluation: the coordinator's checklist of the consultation against its standard, and the
participants' evaluation after the report (a few fixed questions on a 1–5 scale and a comment)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class StandardRating(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class StandardAssessment(models.Model):
    consultation = models.ForeignKey(
        "consultations.Consultation",
        on_delete=models.CASCADE,
        related_name="standard_assessments",
        verbose_name=_("consultation"),
    )
    item = models.ForeignKey(
        "consultations.StandardItem", on_delete=models.CASCADE, related_name="assessments", verbose_name=_("standard")
    )
    rating = models.CharField(_("rating"), max_length=10, choices=StandardRating.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("standard assessment")
        verbose_name_plural = _("standard assessments")
        ordering = ["item__weight", "item_id"]
        constraints = [models.UniqueConstraint(fields=["consultation", "item"], name="unique_standard_assessment")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.rating}"


SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class EvaluationAnswer(models.Model):
    """One participant's evaluation of the consultation (one per participant)."""

    consultation = models.ForeignKey(
        "consultations.Consultation",
        on_delete=models.CASCADE,
        related_name="evaluation_answers",
        verbose_name=_("consultation"),
    )
    participant = models.OneToOneField(
        "consultations.Participant",
        on_delete=models.CASCADE,
        related_name="evaluation",
        verbose_name=_("participant"),
    )
    clear_information = models.PositiveSmallIntegerField(_("the information was clear"), validators=SCALE)
    enough_time = models.PositiveSmallIntegerField(_("there was enough time"), validators=SCALE)
    views_used = models.PositiveSmallIntegerField(_("I understand how my views were used"), validators=SCALE)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.consultation_id}/{self.participant_id}"
