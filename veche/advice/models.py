"""Advice on request: a member of a network asks it for advice, a coordinator assigns an expert from the
practitioners' database, the requester and the expert talk in a thread (with attachments), and the request is closed
with a summary and the requester's rating.

Every change goes through veche.advice.services; the state machine is in AdviceRequest.can_* properties (facts
about one row) and the services that lock the row before changing it.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veche.advice.choices import OPEN_STATUSES, STATUS_TONES, WITH_EXPERT, AdviceStage, AdviceStatus
from veche.advice.querysets import AdviceMessageQuerySet, AdviceRequestQuerySet
from veche.core.models import TimeStampedModel
from veche.core.vocabulary import MethodChoices
from veche.organisations.choices import Country, OrganisationKind

NETWORK_ONLY = {"kind": OrganisationKind.NETWORK}


def private_storage():  # noqa: ANN201 — a callable so that migrations do not freeze the storage
    """Attachments are private: served only through advice:attachment, never from MEDIA_URL."""
    return storages["private"]


def attachment_path(instance: AdviceAttachment, filename: str) -> str:
    """A random name under the request's folder; the person's file name is kept in original_name only."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"advice/{instance.message.request_id}/{uuid.uuid4().hex}{suffix}"


class AdviceRequest(TimeStampedModel):
    """One request for advice, from an organisation that is a member of the network (acting through its staff) or
    from an individual member (requester_organisation empty)."""

    network = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="advice_requests",
        limit_choices_to=NETWORK_ONLY,
        verbose_name=_("network"),
    )
    requester_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="advice_requests_made",
        verbose_name=_("asking organisation"),
        help_text=_("Empty when a person asks as an individual member."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advice_requests",
        verbose_name=_("asked by"),
    )
    title = models.CharField(_("subject"), max_length=150)
    stage = models.CharField(_("what you need help with"), max_length=20, choices=AdviceStage.choices)
    method = models.CharField(
        _("method"), max_length=40, choices=MethodChoices.choices, blank=True, help_text=_("If you know it already.")
    )
    description = models.TextField(_("description"), max_length=5000)
    description_html = models.TextField(editable=False, default="")
    preferred_language = models.CharField(_("preferred language"), max_length=8)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    wanted_from = models.DateField(_("advice wanted from"), null=True, blank=True)
    deadline = models.DateField(_("needed by"), null=True, blank=True)

    status = models.CharField(_("status"), max_length=12, choices=AdviceStatus.choices, default=AdviceStatus.NEW)
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advice_assignments",
        verbose_name=_("expert"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    summary = models.TextField(_("summary of the advice"), blank=True, max_length=5000)
    summary_html = models.TextField(editable=False, default="")
    decline_reason = models.TextField(_("why the network declined"), blank=True, max_length=2000)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("comment on the advice"), blank=True, max_length=2000)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True, editable=False)

    objects = AdviceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("advice request")
        verbose_name_plural = _("advice requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="advice_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=sorted(WITH_EXPERT)) | models.Q(expert__isnull=False),
                name="advice_expert_when_assigned",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(status=AdviceStatus.CLOSED),
                name="advice_rated_only_when_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["network", "status", "last_activity_at"], name="advice_queue"),
            models.Index(fields=["expert", "status"], name="advice_expert_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("advice:detail", kwargs={"pk": self.pk})

    def audit_repr(self) -> str:
        """No names: the audit log outlives the people in it."""
        return f"advice request #{self.pk}"

    @property
    def organisation_id(self) -> int:
        """The network's coordinators handle the request (audit entries, reports on its messages)."""
        return self.network_id

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def has_expert_working(self) -> bool:
        return self.status in WITH_EXPERT

    @property
    def is_rated(self) -> bool:
        return self.rating is not None

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "neutral")

    @property
    def requester_name(self) -> str:
        if self.requester_organisation_id:
            return str(self.requester_organisation)
        return self.requested_by.public_name if self.requested_by_id else str(_("Deleted account"))

    def age_days(self, now=None) -> int:  # noqa: ANN001 — a datetime
        """Whole days since the request was made."""
        return max(0, ((now or timezone.now()) - self.created_at).days)

    def idle_days(self, now=None) -> int:  # noqa: ANN001 — a datetime
        """Whole days since the last message or change."""
        return max(0, ((now or timezone.now()) - self.last_activity_at).days)


class AdviceMessage(models.Model):
    """One message in a request's thread. Body is kept as written and as sanitised HTML (veche.core.sanitize)."""

    request = models.ForeignKey(
        AdviceRequest, on_delete=models.CASCADE, related_name="messages", verbose_name=_("advice request")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="advice_messages",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"), max_length=10000)
    body_html = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_reason = models.TextField(_("why it was hidden"), blank=True, max_length=2000)

    objects = AdviceMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("advice message")
        verbose_name_plural = _("advice messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return f"{self.request.get_absolute_url()}#message-{self.pk}"

    def audit_repr(self) -> str:
        return f"message #{self.pk} in advice request #{self.request_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class AdviceAttachment(models.Model):
    """A file sent with a message: its type checked by content (veche.advice.attachments), stored privately."""

    message = models.ForeignKey(
        AdviceMessage, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("advice:attachment", kwargs={"pk": self.pk})
