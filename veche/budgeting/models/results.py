"""Counted results per pool and what became of the funded projects."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from veche.budgeting.choices import ImplementationStatus
from veche.budgeting.models.edition import Pool
from veche.budgeting.models.proposals import Proposal


class PoolResult(models.Model):
    """The count of a pool under the edition's rule, stored so that the results page needs no recount.

    `outcome` holds per-project rows (id, score, votes, cost, funded, reason, position), `metrics` the headline
    figures, `comparison` the same figures under the other standard rules, `spec` the rule as counted."""

    pool = models.OneToOneField(Pool, on_delete=models.CASCADE, related_name="result", verbose_name=_("pool"))
    counted_at = models.DateTimeField(_("counted"), auto_now=True)
    ballots = models.PositiveIntegerField(_("ballots counted"))
    spec = models.JSONField(_("rule"), default=dict)
    outcome = models.JSONField(_("outcome"), default=list)
    metrics = models.JSONField(_("figures"), default=dict)
    comparison = models.JSONField(_("comparison with other rules"), default=list)
    official_check = models.JSONField(_("check against the official result"), null=True, blank=True)

    class Meta:
        verbose_name = _("pool result")
        verbose_name_plural = _("pool results")

    def __str__(self) -> str:
        return f"result {self.pool_id}"


class Implementation(models.Model):
    """What happens to a funded project after the vote; residents follow it."""

    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="implementation", verbose_name=_("proposal")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ImplementationStatus.choices, default=ImplementationStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    cancel_reason = models.TextField(_("why it was cancelled"), blank=True)
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="followed_budget_projects", verbose_name=_("followers")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("implementation")
        verbose_name_plural = _("implementations")
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="implementation_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"implementation {self.proposal_id}"


class ImplementationUpdate(models.Model):
    """One entry of the implementation timeline: the status and progress it set, and what the office said."""

    implementation = models.ForeignKey(
        Implementation, on_delete=models.CASCADE, related_name="updates", verbose_name=_("implementation")
    )
    status = models.CharField(_("status"), max_length=12, choices=ImplementationStatus.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), validators=[MaxValueValidator(100)])
    text = models.TextField(_("update"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="budgeting/implementation/", blank=True)
    photo_alt = models.CharField(_("description of the photo"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("implementation update")
        verbose_name_plural = _("implementation updates")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.implementation_id}: {self.status}"
