"""Proposals (projects) residents submit, their costs, images, co-authors, support signatures, history, the office's
review decisions and the authors' appeals. Everything here that the office decides is public."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from veche.budgeting.choices import AppealOutcome, ProposalStatus
from veche.budgeting.models.edition import MONEY, Category, Edition, Pool
from veche.budgeting.querysets import ProposalQuerySet


class Proposal(models.Model):
    """A project idea; once accepted it is on the ballot. `number` is its public number within the edition and
    `external_id` its project id in a Pabulib file (imports and exports)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("edition"))
    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("pool"))
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals", verbose_name=_("category")
    )
    number = models.PositiveIntegerField(_("number"))
    external_id = models.CharField(_("Pabulib project id"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("short summary"), max_length=300, blank=True)
    description = models.TextField(_("description"))
    cost_estimate = models.DecimalField(_("estimated cost"), **MONEY)
    verified_cost = models.DecimalField(_("verified cost"), null=True, blank=True, **MONEY)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("address or place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_proposals",
        verbose_name=_("author"),
    )
    co_authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="co_authored_budget_proposals", verbose_name=_("co-authors")
    )
    extra = models.JSONField(_("other data"), default=dict, blank=True, help_text=_("Other Pabulib project columns."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="unique_proposal_number"),
            models.UniqueConstraint(
                fields=["edition", "external_id"],
                condition=~models.Q(external_id=""),
                name="unique_proposal_external_id",
            ),
        ]
        indexes = [models.Index(fields=["pool", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgeting:proposal", kwargs={"edition_id": self.edition_id, "number": self.number})

    @property
    def organisation_id(self) -> int:
        """For the permission layer; needs edition__module__process loaded."""
        return self.edition.organisation_id

    @property
    def cost(self):
        """What the proposal costs on the ballot: the verified cost once the office set one, the estimate before."""
        return self.verified_cost if self.verified_cost is not None else self.cost_estimate

    @property
    def project_id(self) -> str:
        """The id used in counting and in Pabulib files."""
        return self.external_id or str(self.number)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class CostItem(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="cost_items", verbose_name=_("proposal")
    )
    description = models.CharField(_("item"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY)
    weight = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("cost item")
        verbose_name_plural = _("cost items")
        ordering = ["weight", "id"]

    def __str__(self) -> str:
        return self.description


class ProposalImage(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="images", verbose_name=_("proposal"))
    image = models.ImageField(_("image"), upload_to="budgeting/proposals/")
    alt_text = models.CharField(_("description of the image"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("proposal image")
        verbose_name_plural = _("proposal images")
        ordering = ["weight", "id"]

    def __str__(self) -> str:
        return self.alt_text


class ProposalRevision(models.Model):
    """One saved state of a proposal: the public history of changes. `snapshot` holds the texts, cost items and
    placement as they were after the change."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("proposal")
    )
    number = models.PositiveIntegerField(_("revision"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    changed_fields = models.JSONField(_("changed fields"), default=list)
    snapshot = models.JSONField(_("snapshot"), default=dict)

    class Meta:
        verbose_name = _("proposal revision")
        verbose_name_plural = _("proposal revisions")
        ordering = ["proposal", "number"]
        constraints = [models.UniqueConstraint(fields=["proposal", "number"], name="unique_revision_number")]

    def __str__(self) -> str:
        return f"{self.proposal_id}#{self.number}"


class Signature(models.Model):
    """A resident's endorsement of a proposal before review (one per person and proposal, enforced by the database)."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("proposal")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="budget_signatures", verbose_name=_("person")
    )
    created_at = models.DateTimeField(_("signed"), auto_now_add=True)

    class Meta:
        verbose_name = _("support signature")
        verbose_name_plural = _("support signatures")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="unique_signature")]

    def __str__(self) -> str:
        return f"{self.proposal_id}/{self.user_id}"


class ReviewDecision(models.Model):
    """One step of the office's review, with its public justification (and the verified cost when it set one)."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("proposal")
    )
    from_status = models.CharField(_("from"), max_length=16, choices=ProposalStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=ProposalStatus.choices)
    justification = models.TextField(_("public justification"))
    verified_cost = models.DecimalField(_("verified cost"), null=True, blank=True, **MONEY)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status} → {self.to_status}"


class Appeal(models.Model):
    """An author's appeal against a rejection, lodged in the appeals phase; its outcome is public."""

    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="appeal", verbose_name=_("proposal")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("grounds of the appeal"))
    created_at = models.DateTimeField(_("lodged"), auto_now_add=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    outcome_justification = models.TextField(_("justification of the outcome"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"appeal {self.proposal_id}"
