"""An edition of a participatory budget (one budgeting module of a process), its pools and categories."""

from __future__ import annotations

import secrets
from decimal import Decimal
from fractions import Fraction

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from veche.budgeting.choices import (
    BallotType,
    Completion,
    CountingRule,
    EditionSource,
    Eligibility,
    PoolKind,
    TieBreakKind,
)
from veche.budgeting.querysets import EditionQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


def new_salt() -> str:
    return secrets.token_hex(16)


class Edition(models.Model):
    """The settings of one edition. Its name and timeline are the module's (title, phases); this holds the money,
    the ballot, the counting rule and who may vote."""

    module = models.OneToOneField(
        "participation.Module", on_delete=models.CASCADE, related_name="edition", verbose_name=_("module")
    )
    total_budget = models.DecimalField(_("total budget"), default=Decimal(0), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="CZK", help_text=_("ISO code, e.g. CZK or PLN."))
    rules_text = models.TextField(_("rules"), blank=True, help_text=_("The edition's rules in plain language."))
    source = models.CharField(
        _("source"), max_length=10, choices=EditionSource.choices, default=EditionSource.RUN_ON_VECHE
    )
    pabulib_meta = models.JSONField(_("Pabulib META"), default=dict, blank=True)

    # The ballot
    ballot_type = models.CharField(
        _("ballot type"), max_length=12, choices=BallotType.choices, default=BallotType.KNAPSACK
    )
    max_choices = models.PositiveSmallIntegerField(
        _("most projects per ballot"),
        null=True,
        blank=True,
        help_text=_("Approval and ranking ballots; empty for no limit."),
    )
    points_per_voter = models.PositiveSmallIntegerField(_("points per voter"), null=True, blank=True)
    max_points_per_project = models.PositiveSmallIntegerField(_("most points for one project"), null=True, blank=True)

    # Counting
    counting_rule = models.CharField(
        _("counting rule"), max_length=20, choices=CountingRule.choices, default=CountingRule.GREEDY
    )
    completion = models.CharField(_("completion"), max_length=20, choices=Completion.choices, default=Completion.NONE)
    fill_greedy = models.BooleanField(_("fill the rest greedily"), default=False)
    tie_break = models.CharField(
        _("tie-breaking"), max_length=12, choices=TieBreakKind.choices, default=TieBreakKind.ID
    )
    threshold = models.PositiveIntegerField(_("minimum support"), null=True, blank=True)

    # Who may vote
    eligibility = models.CharField(
        _("who may vote"), max_length=12, choices=Eligibility.choices, default=Eligibility.ACCOUNT
    )
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    allow_voting_codes = models.BooleanField(_("voting codes (letters, polling stations)"), default=False)
    allow_paper = models.BooleanField(_("paper ballots typed in by staff"), default=False)
    secret_ballot = models.BooleanField(
        _("secret ballot"),
        default=False,
        help_text=_("Keep who voted apart from how they voted; voters get a receipt code."),
    )
    residents_salt = models.CharField(max_length=32, default=new_salt, editable=False)

    # Proposals
    signatures_required = models.PositiveSmallIntegerField(
        _("support signatures needed"), default=0, help_text=_("Residents who must endorse a proposal before review.")
    )

    # The municipality's extent on the map: a proposal's point must lie inside (all four or none)
    bounds_south = models.DecimalField(_("southern edge"), max_digits=9, decimal_places=6, null=True, blank=True)
    bounds_west = models.DecimalField(_("western edge"), max_digits=9, decimal_places=6, null=True, blank=True)
    bounds_north = models.DecimalField(_("northern edge"), max_digits=9, decimal_places=6, null=True, blank=True)
    bounds_east = models.DecimalField(_("eastern edge"), max_digits=9, decimal_places=6, null=True, blank=True)

    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    ballots_published = models.BooleanField(_("anonymised ballots published"), default=False)
    # When the ballot box of a secret ballot was re-written in receipt order (services.voting.seal_ballot_box)
    ballots_sealed_at = models.DateTimeField(_("ballot box sealed"), null=True, blank=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget edition")
        verbose_name_plural = _("budget editions")

    def __str__(self) -> str:
        return str(self.module.title) if self.module_id else "edition"

    def get_absolute_url(self) -> str:
        return reverse("budgeting:edition", kwargs={"edition_id": self.pk})

    @property
    def organisation_id(self) -> int:
        """For the permission layer (organisations.rules.organisation_id_of); needs module and process loaded."""
        return self.module.process.organisation_id

    @property
    def has_bounds(self) -> bool:
        return None not in (self.bounds_south, self.bounds_west, self.bounds_north, self.bounds_east)

    @property
    def bounds_text(self) -> str:
        """The bounds as "south,west,north,east" for the map component, or "" without bounds."""
        if not self.has_bounds:
            return ""
        edges = (self.bounds_south, self.bounds_west, self.bounds_north, self.bounds_east)
        return ",".join(str(value) for value in edges)

    def contains_point(self, latitude, longitude) -> bool:
        """Whether the point lies within the edition's bounds (always True without bounds)."""
        if not self.has_bounds:
            return True
        return bool(
            self.bounds_south <= latitude <= self.bounds_north and self.bounds_west <= longitude <= self.bounds_east
        )

    def rule_spec(self):  # -> rules_engine.RuleSpec
        """The counting rule as the pure engine takes it."""
        from veche.budgeting.rules_engine import RuleSpec, TieBreak

        is_mes = self.counting_rule == CountingRule.MES
        return RuleSpec(
            rule=self.counting_rule,
            completion=self.completion if is_mes else "none",
            fill_greedy=self.fill_greedy if is_mes else False,
            threshold=Fraction(self.threshold) if self.counting_rule == CountingRule.GREEDY_THRESHOLD else None,
            tie_break=TieBreak(self.tie_break),
        )


class Pool(models.Model):
    """A sum of money voted on separately: the citywide pool and district pools. A voter votes in the citywide pool
    and in at most one district pool (the register enforces it)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="pools", verbose_name=_("edition"))
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=PoolKind.choices, default=PoolKind.CITYWIDE)
    budget = models.DecimalField(_("budget"), **MONEY)
    weight = models.PositiveSmallIntegerField(_("order"), default=0)
    pabulib_meta = models.JSONField(_("Pabulib META"), default=dict, blank=True)

    class Meta:
        verbose_name = _("pool")
        verbose_name_plural = _("pools")
        ordering = ["weight", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "name"], name="unique_pool_name")]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="categories", verbose_name=_("edition"))
    name = models.CharField(_("name"), max_length=80)
    weight = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["weight", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "name"], name="unique_category_name")]

    def __str__(self) -> str:
        return self.name
