"""A consultation: one consultations module of a process, with what residents need to know before taking part."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veche.consultations.choices import MethodKind, ParticipationMode, TargetGroup
from veche.consultations.querysets import ConsultationQuerySet
from veche.core.models import TimeStampedModel


class Consultation(TimeStampedModel):
    """The consultation's own settings. Its phases (announcement, open, analysis) are the module's phases, kept in
    step with the timeline fields by the set-up service; what is possible now is asked of the module
    (`module.allows(feature)`), which is the one place phase state is computed. A consultation is run in one
    language (ADR 0014): its texts and its contributions are in `language`."""

    module = models.OneToOneField(
        "participation.Module", on_delete=models.CASCADE, related_name="consultation", verbose_name=_("module")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("organisation"),
        help_text=_("Always the organisation of the module's process; kept here for lists and filters."),
    )
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="cs")
    subject = models.CharField(_("subject"), max_length=200)
    summary = models.TextField(
        _("plain-language summary"),
        help_text=_("What is being decided and why residents' views matter, in short sentences and everyday words."),
    )
    decision = models.TextField(_("the decision it will inform"), blank=True)
    decision_maker = models.CharField(_("who takes the decision"), max_length=200, blank=True)

    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    report_due = models.DateField(_("report due"), null=True, blank=True)
    short_period_confirmed = models.BooleanField(
        _("shorter than the standard, confirmed"),
        default=False,
        help_text=_("The coordinator confirmed opening for less than the minimum length of the standard."),
    )

    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    topics = models.ManyToManyField("core.Topic", blank=True, related_name="consultations", verbose_name=_("topics"))
    area = models.JSONField(
        _("area"), null=True, blank=True, help_text=_("A GeoJSON geometry (polygon or point) of the area concerned.")
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    participation_mode = models.CharField(
        _("who may take part online"),
        max_length=20,
        choices=ParticipationMode.choices,
        default=ParticipationMode.SIGNED_IN,
    )
    code_of_conduct = models.TextField(
        _("code of conduct"), blank=True, help_text=_("Shown next to every comment form; the organisation's default.")
    )
    standard_set = models.ForeignKey(
        "consultations.StandardSet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("consultation standard"),
    )
    report_published_at = models.DateTimeField(_("report published"), null=True, blank=True)
    opening_notified_at = models.DateTimeField(
        _("followers told of the opening"),
        null=True,
        blank=True,
        help_text=_("Set when followers were notified that the consultation opened, so they hear it once."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "slug"], name="unique_consultation_slug")]
        indexes = [models.Index(fields=["opens_at", "closes_at"], name="consultation_dates")]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        """Needs the organisation loaded (select_related) to stay query-free."""
        return reverse("consultations:detail", kwargs={"org_slug": self.organisation.slug, "slug": self.slug})

    @property
    def open_days(self) -> int | None:
        """Whole days between opening and closing, or None while either is missing."""
        if self.opens_at is None or self.closes_at is None:
            return None
        return (self.closes_at - self.opens_at).days

    @property
    def has_report(self) -> bool:
        return self.report_published_at is not None

    def is_closed(self, now: datetime | None = None) -> bool:
        """Closed for input from residents: the closing time has passed (staff may still record offline input)."""
        return self.closes_at is not None and (now or timezone.now()) >= self.closes_at


class ConsultationMethod(models.Model):
    """One way the consultation gathers views (a public meeting on 3 March at the town hall, a survey…)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="methods", verbose_name=_("consultation")
    )
    kind = models.CharField(_("method"), max_length=20, choices=MethodKind.choices)
    description = models.TextField(_("short description"), blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("consultation method")
        verbose_name_plural = _("consultation methods")
        ordering = ["weight", "starts_at", "id"]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class ConsultationTargetGroup(models.Model):
    """A group the consultation sets out to reach (a row per group, so lists filter by group with a plain join)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="target_groups", verbose_name=_("consultation")
    )
    group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["group"]
        constraints = [models.UniqueConstraint(fields=["consultation", "group"], name="unique_consultation_group")]

    def __str__(self) -> str:
        return str(self.get_group_display())
