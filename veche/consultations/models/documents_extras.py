"""What the documents part adds around the shared models: attachments (maps, annexes), support for a contribution,
and one-time codes for residents taking part without an account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def attachment_path(instance: Attachment, filename: str) -> str:
    """Stored under a random name: the original name is only shown (and offered on download), never used on disk."""
    import secrets

    from veche.consultations.files import EXTENSIONS

    extension = EXTENSIONS.get(instance.file_type, instance.file_type) or "bin"
    return f"consultations/attachments/{instance.consultation_id}/{secrets.token_urlsafe(16)}.{extension}"


class Attachment(models.Model):
    """A file published with a consultation (a map, an annex). Its type is decided by its content (files.py)."""

    consultation = models.ForeignKey(
        "consultations.Consultation",
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("consultation"),
    )
    document = models.ForeignKey(
        "consultations.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("document"),
        help_text=_("The document it belongs to, if any."),
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    file_type = models.CharField(_("type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size"))
    weight = models.PositiveSmallIntegerField(_("order"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["weight", "id"]

    def __str__(self) -> str:
        return self.title


class Support(models.Model):
    """A participant supports someone else's contribution (once: the unique constraint decides)."""

    contribution = models.ForeignKey(
        "consultations.Contribution", on_delete=models.CASCADE, related_name="supports", verbose_name=_("contribution")
    )
    participant = models.ForeignKey(
        "consultations.Participant", on_delete=models.CASCADE, related_name="supports", verbose_name=_("participant")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contribution", "participant"], name="unique_contribution_support")
        ]

    def __str__(self) -> str:
        return f"+1 {self.contribution_id}"


class OneTimeCodeBatch(models.Model):
    """A batch of one-time codes staff printed for letters; the codes themselves exist in plain text only once."""

    consultation = models.ForeignKey(
        "consultations.Consultation",
        on_delete=models.CASCADE,
        related_name="code_batches",
        verbose_name=_("consultation"),
    )
    label = models.CharField(_("label"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("codes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("batch of one-time codes")
        verbose_name_plural = _("batches of one-time codes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label or str(self.created_at.date())


class OneTimeCode(models.Model):
    """One code: lets one person take part once, without an account. Only a keyed hash is stored."""

    batch = models.ForeignKey(OneTimeCodeBatch, on_delete=models.CASCADE, related_name="codes", verbose_name=_("batch"))
    consultation = models.ForeignKey(
        "consultations.Consultation",
        on_delete=models.CASCADE,
        related_name="one_time_codes",
        verbose_name=_("consultation"),
    )
    code_hash = models.CharField(_("code hash"), max_length=64)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    participant = models.OneToOneField(
        "consultations.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="one_time_code",
        verbose_name=_("participant"),
    )

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "code_hash"], name="unique_one_time_code"),
        ]

    def __str__(self) -> str:
        return f"code {self.pk}"
