"""Networks of participation practitioners: their settings, memberships (people and organisations) with history,
practitioners' profiles with per-field visibility, and messages sent to practitioners through the platform.

A network is an organisations.Organisation of kind network. The current member organisations of a network are
organisations.Affiliation rows (which the organisation pages already show); the network app adds the way to get
there — applications, decisions, leaving — and keeps every step in MembershipEvent.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from veche.core.models import TimeStampedModel
from veche.network.choices import (
    Availability,
    MemberListVisibility,
    MembershipState,
    PractitionerRole,
    Visibility,
)
from veche.network.querysets import ContactMessageQuerySet, MembershipQuerySet, PractitionerProfileQuerySet
from veche.organisations.choices import Country, OrganisationKind

NETWORK_ONLY = {"kind": OrganisationKind.NETWORK}


class NetworkSettings(models.Model):
    """How one network runs its membership. Created with defaults the first time the network is used."""

    network = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="network_settings",
        limit_choices_to=NETWORK_ONLY,
        verbose_name=_("network"),
    )
    member_list_visibility = models.CharField(
        _("who sees the member list"),
        max_length=10,
        choices=MemberListVisibility.choices,
        default=MemberListVisibility.PUBLIC,
    )
    accepts_applications = models.BooleanField(_("accepts applications"), default=True)
    application_intro = models.TextField(
        _("note for applicants"),
        blank=True,
        max_length=2000,
        help_text=_("Shown above the application form: who may join and what the network expects."),
    )

    class Meta:
        verbose_name = _("network settings")
        verbose_name_plural = _("network settings")

    def __str__(self) -> str:
        return str(self.network)

    @property
    def members_are_public(self) -> bool:
        return self.member_list_visibility == MemberListVisibility.PUBLIC


class Membership(TimeStampedModel):
    """A person's or an organisation's application to a network and, once accepted, their membership.

    Exactly one of user and organisation is set. A member that leaves and comes back gets a new row, so each row is
    one stretch of membership; its events are the history. One open row (applied or active) per network and member.
    """

    network = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="network_memberships",
        limit_choices_to=NETWORK_ONLY,
        verbose_name=_("network"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_memberships",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships_in_networks",
        verbose_name=_("organisation"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=MembershipState.choices, default=MembershipState.APPLIED
    )
    motivation = models.TextField(_("why do you want to join?"), max_length=2000)
    region = models.CharField(_("region where you work"), max_length=120)
    experience = models.TextField(_("experience with participation"), max_length=2000)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_message = models.TextField(_("message from the coordinators"), blank=True, max_length=2000)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, organisation__isnull=True)
                    | models.Q(user__isnull=True, organisation__isnull=False)
                ),
                name="membership_person_or_organisation",
            ),
            models.UniqueConstraint(
                fields=["network", "user"],
                condition=models.Q(state__in=["applied", "active"], user__isnull=False),
                name="one_open_membership_per_person",
            ),
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=models.Q(state__in=["applied", "active"], organisation__isnull=False),
                name="one_open_membership_per_organisation",
            ),
            models.CheckConstraint(
                condition=~models.Q(network=models.F("organisation")), name="network_not_own_member"
            ),
        ]
        indexes = [models.Index(fields=["network", "state"], name="membership_network_state")]

    def __str__(self) -> str:
        return f"{self.member_name} — {self.network}"

    def audit_repr(self) -> str:
        """No person's name: the audit log outlives erasure."""
        if self.organisation_id:
            return f"{self.organisation} → {self.network}"
        return f"#{self.user_id} → {self.network}"

    @property
    def member_name(self) -> str:
        if self.organisation_id:
            return str(self.organisation)
        return self.user.public_name if self.user_id else ""

    @property
    def is_for_organisation(self) -> bool:
        return self.organisation_id is not None

    @property
    def is_open(self) -> bool:
        return self.state in (MembershipState.APPLIED, MembershipState.ACTIVE)

    def get_absolute_url(self) -> str:
        return reverse("network:membership", kwargs={"slug": self.network.slug, "pk": self.pk})


class MembershipEvent(models.Model):
    """One step in a membership's history: applied, accepted, declined, withdrawn, left, removed. Append-only."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="events", verbose_name=_("membership")
    )
    state = models.CharField(_("new state"), max_length=12, choices=MembershipState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership event")
        verbose_name_plural = _("membership history")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_state_display()} ({self.created_at:%Y-%m-%d})"


def photo_path(instance: PractitionerProfile, filename: str) -> str:
    return f"practitioners/{instance.user_id}/{filename}"


def _visibility(label: str, default: int = Visibility.PUBLIC) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, choices=Visibility.choices, default=default)


class PractitionerProfile(TimeStampedModel):
    """A person's entry in the practitioners' database. Opt-in (is_published) and each group of fields has its own
    visibility; veche.network.visibility decides what a viewer sees, and every channel (pages, API, exports,
    search) goes through it. The search_* documents hold only the fields visible at each level, so hidden fields are
    never searchable."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="practitioner_profile",
        verbose_name=_("person"),
    )
    is_published = models.BooleanField(
        _("listed in the practitioners' database"),
        default=False,
        help_text=_("Until you publish it, only you see your profile."),
    )
    name = models.CharField(_("name"), max_length=120)
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=PractitionerRole.choices, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    methods = models.ManyToManyField(
        "core.Method", blank=True, related_name="practitioners", verbose_name=_("methods you know")
    )
    topics = models.ManyToManyField(
        "core.Topic", blank=True, related_name="practitioners", verbose_name=_("topics you work on")
    )
    bio = models.TextField(_("about you and your practice"), blank=True, max_length=3000)
    years_of_experience = models.PositiveSmallIntegerField(_("years of experience"), null=True, blank=True)
    processes = models.JSONField(
        _("processes you ran"),
        default=list,
        blank=True,
        help_text=_("A list of {title, url}: cases on the map, processes on veche or elsewhere."),
    )
    available_as_mentor = models.BooleanField(_("available as a mentor"), default=False)
    available_as_facilitator = models.BooleanField(_("available as a facilitator"), default=False)
    available_as_trainer = models.BooleanField(_("available as a trainer"), default=False)
    available_as_advisor = models.BooleanField(_("available as an advisor"), default=False)
    accepts_messages = models.BooleanField(
        _("accept messages through the platform"),
        default=True,
        help_text=_("People write to you through a form; your email address is never shown."),
    )

    name_visibility = _visibility(_("who sees your name"))
    photo_visibility = _visibility(_("who sees your photo"), Visibility.MEMBERS)
    organisation_visibility = _visibility(_("who sees your organisation"))
    role_visibility = _visibility(_("who sees your role"))
    location_visibility = _visibility(_("who sees your region and country"))
    languages_visibility = _visibility(_("who sees your languages"))
    methods_visibility = _visibility(_("who sees your methods"))
    topics_visibility = _visibility(_("who sees your topics"))
    bio_visibility = _visibility(_("who sees what you wrote about yourself"))
    experience_visibility = _visibility(_("who sees your years of experience"), Visibility.MEMBERS)
    processes_visibility = _visibility(_("who sees the processes you ran"))
    availability_visibility = _visibility(_("who sees your availability"))

    # Folded text of the fields visible at each level (veche.network.search); never shown, never edited by hand.
    search_public = models.TextField(editable=False, blank=True, default="")
    search_members = models.TextField(editable=False, blank=True, default="")
    search_coordinators = models.TextField(editable=False, blank=True, default="")
    # The same documents as PostgreSQL tsvectors (GIN-indexed, migration 0004); left empty on other databases.
    vector_public = SearchVectorField(null=True, editable=False)
    vector_members = SearchVectorField(null=True, editable=False)
    vector_coordinators = SearchVectorField(null=True, editable=False)

    objects = PractitionerProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("practitioner's profile")
        verbose_name_plural = _("practitioners' profiles")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["is_published", "name"], name="practitioner_published_name"),
            models.Index(fields=["-updated_at", "-id"], name="practitioner_recent"),
            # The directory's count and page slices: an index-only scan of the listed profiles in page order, instead
            # of reading the wide rows (documents, tsvectors) of every profile (ADR 0017).
            models.Index(
                fields=["-updated_at", "-id"],
                include=["user"],
                condition=models.Q(is_published=True),
                name="practitioner_listed_recent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_repr(self) -> str:
        return f"practitioner #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("network:practitioner", kwargs={"pk": self.pk})

    @property
    def availability(self) -> list[str]:
        """The keys of Availability the person offers, in the vocabulary's order."""
        return [key for key in Availability.values if getattr(self, f"available_as_{key}")]

    def clean(self) -> None:
        from veche.network.choices import LanguageChoices

        unknown = [code for code in self.languages or [] if code not in LanguageChoices.values]
        if unknown:
            raise ValidationError({"languages": _("Choose languages from the list.")})


class ContactMessage(models.Model):
    """A message someone sent a practitioner through the platform. The practitioner gets it by notification and
    email (their address is never shown to the sender) and may report it; the moderators of `network` handle
    reports."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="practitioner_messages_sent",
        verbose_name=_("from"),
    )
    profile = models.ForeignKey(
        PractitionerProfile, on_delete=models.CASCADE, related_name="messages", verbose_name=_("to")
    )
    network = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("network whose moderators handle reports"),
    )
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    share_sender_email = models.BooleanField(
        _("share my email address with the practitioner"),
        default=False,
        help_text=_("So that they can reply to you directly. Otherwise they can reply only if you have a profile."),
    )
    is_hidden = models.BooleanField(_("hidden by the moderators"), default=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    objects = ContactMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message to a practitioner")
        verbose_name_plural = _("messages to practitioners")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("network:message", kwargs={"pk": self.pk})

    def audit_repr(self) -> str:
        return f"message #{self.pk} to practitioner #{self.profile_id}"

    @property
    def organisation_id(self) -> int:
        """Whose moderators handle reports on it (the contributions registry and the rules read this)."""
        return self.network_id
