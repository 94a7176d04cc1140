"""Who took part in a consultation: a signed-in person, or someone anonymous who verified an email address or used a
one-time code. Demographic answers live here, are asked once per consultation and are only ever shown in aggregate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from veche.consultations.choices import AgeBand, Gender


class Participant(models.Model):
    consultation = models.ForeignKey(
        "consultations.Consultation",
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("consultation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consultation_participations",
        verbose_name=_("account"),
    )
    email = models.EmailField(_("email"), blank=True, help_text=_("Verified address of an anonymous participant."))
    email_verified_at = models.DateTimeField(_("email verified"), null=True, blank=True)
    display_name = models.CharField(_("name shown"), max_length=80, blank=True)
    notify = models.BooleanField(_("tell me about answers and the report"), default=True)

    age_band = models.CharField(_("age"), max_length=12, choices=AgeBand.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    demographics_answered_at = models.DateTimeField(_("demographics answered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"], condition=Q(user__isnull=False), name="unique_participant_user"
            ),
            models.UniqueConstraint(
                fields=["consultation", "email"], condition=~Q(email=""), name="unique_participant_email"
            ),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name shown next to contributions: never the email address. Needs the user loaded."""
        if self.display_name:
            return self.display_name
        if self.user_id is not None:
            return self.user.get_short_name() or str(_("Resident"))
        return str(_("Resident"))
