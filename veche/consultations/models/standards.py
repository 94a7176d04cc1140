"""Consultation standards: a set of principles a coordinator checks a consultation against, with the minimum number
of days a consultation stays open. The platform ships a default set; a network or organisation may keep its own."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StandardSet(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consultation_standards",
        verbose_name=_("organisation or network"),
        help_text=_("Empty for the platform's default standard."),
    )
    name = models.CharField(_("name"), max_length=200)
    min_open_days = models.PositiveSmallIntegerField(
        _("minimum days open"), default=21, help_text=_("Shorter consultations need the coordinator's confirmation.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultation standard")
        verbose_name_plural = _("consultation standards")
        ordering = ["organisation_id", "id"]

    def __str__(self) -> str:
        return self.name


class StandardItem(models.Model):
    """One principle or practice of a standard (good faith, at least 21 days open …)."""

    standard_set = models.ForeignKey(
        StandardSet, on_delete=models.CASCADE, related_name="items", verbose_name=_("consultation standard")
    )
    key = models.SlugField(_("key"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("standard item")
        verbose_name_plural = _("standard items")
        ordering = ["weight", "id"]
        constraints = [models.UniqueConstraint(fields=["standard_set", "key"], name="unique_standard_item_key")]

    def __str__(self) -> str:
        return self.title
