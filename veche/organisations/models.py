"""Organisations (municipalities, regions, NGOs, networks), their network affiliations and people's roles in them."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from veche.core.models import TimeStampedModel
from veche.organisations.choices import Country, OrganisationKind, RoleKind
from veche.organisations.querysets import OrganisationQuerySet, RoleQuerySet

NUTS_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
# Words that appear in URLs next to organisation slugs (e.g. /processes/new/<slug>/) cannot be slugs themselves.
RESERVED_SLUGS = frozenset({"new", "edit", "people", "admin", "api", "static", "media"})


def validate_not_reserved(value: str) -> None:
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” is reserved; please choose another."), params={"slug": value})


def logo_path(instance: Organisation, filename: str) -> str:
    return f"organisations/{instance.slug}/logo/{filename}"


class Organisation(TimeStampedModel):
    """A municipality, region, NGO or network. Name and description are stored per language (modeltranslation)."""

    slug = models.SlugField(
        _("short name in addresses"), max_length=60, unique=True, validators=[validate_not_reserved]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to=logo_path, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    region = models.CharField(_("region"), max_length=120, blank=True, help_text=_("Name of the region or district."))
    region_code = models.CharField(
        _("region code"), max_length=5, blank=True, help_text=_("NUTS code, e.g. CZ010 or PL911.")
    )
    population = models.PositiveIntegerField(
        _("population"), null=True, blank=True, validators=[MaxValueValidator(100_000_000)]
    )
    website = models.URLField(_("website"), blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Where the organisation sits, for maps (for example the town hall or the office)."),
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    is_published = models.BooleanField(_("published"), default=True)
    networks = models.ManyToManyField(
        "self",
        through="Affiliation",
        symmetrical=False,
        related_name="member_organisations",
        verbose_name=_("networks"),
        blank=True,
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"slug": self.slug})

    @property
    def is_network(self) -> bool:
        return self.kind == OrganisationKind.NETWORK

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.population is not None and self.kind not in (OrganisationKind.MUNICIPALITY, OrganisationKind.REGION):
            errors["population"] = ValidationError(_("Only municipalities and regions have a population."))
        if self.region_code:
            code = self.region_code.upper()
            if not NUTS_CODE.match(code):
                errors["region_code"] = ValidationError(_("A NUTS code is two letters and up to three characters."))
            elif self.country and code[:2] != self.country:
                errors["region_code"] = ValidationError(
                    _("The region code must start with the country code %(country)s."),
                    params={"country": self.country},
                )
            self.region_code = code
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = ValidationError(
                _("Give both the latitude and the longitude, or neither.")
            )
        if errors:
            raise ValidationError(errors)


class Affiliation(models.Model):
    """An organisation's membership of a network, with dates so that history is kept."""

    network = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("network")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="network_affiliations", verbose_name=_("organisation")
    )
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        verbose_name = _("network affiliation")
        verbose_name_plural = _("network affiliations")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=models.Q(left_on__isnull=True),
                name="one_current_affiliation",
            ),
            models.CheckConstraint(condition=~models.Q(network=models.F("organisation")), name="not_own_member"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ∈ {self.network}"

    def clean(self) -> None:
        if self.network_id and self.network.kind != OrganisationKind.NETWORK:
            raise ValidationError({"network": _("Only a network can have member organisations.")})


class Role(models.Model):
    """A person's role in one organisation. A person may hold several roles in several organisations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="roles", verbose_name=_("organisation")
    )
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["organisation__name", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "kind"], name="unique_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} — {self.organisation}"

    def audit_repr(self) -> str:
        """No name: the audit log keeps this text after the person's account is erased."""
        return f"{self.get_kind_display()} — {self.organisation} (#{self.user_id})"
