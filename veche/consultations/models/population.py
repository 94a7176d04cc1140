"""The municipality's population by age band, gender and district, supplied by the organisation, so that the
report can flag groups that took part less than their share of residents."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PopulationDimension(models.TextChoices):
    AGE_BAND = "age_band", _("Age")
    GENDER = "gender", _("Gender")
    DISTRICT = "district", _("District")


class PopulationFigure(models.Model):
    """How many residents of the organisation's area belong to one group (women; people aged 65 and over; the
    district Zálabí). group is a key of AgeBand or Gender, or a district's name as participants give it."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="population_figures",
        verbose_name=_("organisation"),
    )
    dimension = models.CharField(_("dimension"), max_length=12, choices=PopulationDimension.choices)
    group = models.CharField(_("group"), max_length=100)
    residents = models.PositiveIntegerField(_("residents"))
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["dimension", "group"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "dimension", "group"], name="unique_population_group")
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.group}"
