"""Cases on the map of participation: a participatory process somewhere, written by a network's member in their own
language and published by the network's editors after review. Every saved version is kept as a CaseRevision."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from veche.cases.choices import CaseStatus, RevisionKind
from veche.cases.querysets import CaseQuerySet
from veche.core.models import TimeStampedModel
from veche.organisations.choices import Country


def photo_path(instance: CasePhoto, filename: str) -> str:
    return f"cases/{instance.case_id}/{filename}"


class Case(TimeStampedModel):
    """The case as it is now: for a published case, what the map shows. Changes its author proposes to a published
    case wait in a CaseRevision (kind proposed) until an editor publishes or returns them."""

    network = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("network"),
        limit_choices_to={"kind": "network"},
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("author"),
    )
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    language = models.CharField(
        _("language of the text"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=600, help_text=_("Two or three plain sentences."))
    # Where
    municipality = models.CharField(_("municipality"), max_length=120)
    region = models.CharField(_("region"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    area = models.JSONField(_("area"), null=True, blank=True, help_text=_("A GeoJSON Polygon or MultiPolygon."))
    # When and how
    # A draft made from a process on veche may lack its point or dates until the author adds them.
    started_on = models.DateField(_("started"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, editable=False, db_index=True)
    methods = models.ManyToManyField("core.Method", related_name="cases", verbose_name=_("methods"))
    topics = models.ManyToManyField("core.Topic", related_name="cases", verbose_name=_("topics"), blank=True)
    # Who
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_cases",
        verbose_name=_("organisation on veche"),
    )
    organiser = models.CharField(_("who organised it"), max_length=200)
    participants = models.PositiveIntegerField(
        _("how many took part"), null=True, blank=True, validators=[MaxValueValidator(100_000_000)]
    )
    participants_note = models.TextField(_("who took part"), max_length=1000, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    # What came of it
    results = models.TextField(_("results"), max_length=6000, blank=True)
    changes = models.TextField(_("what changed"), max_length=6000, blank=True)
    lessons = models.TextField(_("lessons learned"), max_length=6000, blank=True)
    links = models.JSONField(_("documents and links"), default=list, blank=True)
    # Published as a case from a process run on veche (services.draft_case_from_module)
    source_module = models.ForeignKey(
        "participation.Module",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("process on veche"),
    )
    source_url = models.CharField(_("page of the process on veche"), max_length=300, blank=True)
    # Review
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_note = models.TextField(_("message from the editor"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "network"]),
            models.Index(fields=["status", "country"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "source_module"],
                condition=models.Q(source_module__isnull=False),
                name="one_case_per_module_and_network",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="case_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"pk": self.pk})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.year = self.started_on.year if self.started_on else None
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == CaseStatus.PUBLISHED

    @property
    def is_editable_draft(self) -> bool:
        return self.status in (CaseStatus.DRAFT, CaseStatus.RETURNED)

    def audit_repr(self) -> str:
        return f"{self.title} (#{self.pk})"


class CaseRevision(models.Model):
    """One version of a case: the full text as it was saved (data: services.CaseInput.to_data()), who saved it and
    why. Proposed changes to a published case are a revision with kind=proposed and is_pending=True."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("case"))
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("what happened"), max_length=20, choices=RevisionKind.choices)
    data = models.JSONField(_("content"))
    note = models.TextField(_("message"), blank=True)
    is_pending = models.BooleanField(_("waiting for review"), default=False)
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
        verbose_name = _("version of a case")
        verbose_name_plural = _("versions of cases")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="unique_case_revision_number"),
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(is_pending=True), name="one_pending_change_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} v{self.number}"


class CasePhoto(models.Model):
    """A photo of the case, re-encoded on upload (metadata and GPS position dropped, veche.core.images)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos", verbose_name=_("case"))
    image = models.ImageField(_("photo"), upload_to=photo_path)
    alt = models.CharField(_("description of the photo"), max_length=200)
    credit = models.CharField(_("author of the photo"), max_length=120, blank=True)
    weight = models.PositiveSmallIntegerField(_("order"), default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo of a case")
        verbose_name_plural = _("photos of cases")
        ordering = ["weight", "id"]

    def __str__(self) -> str:
        return self.alt
