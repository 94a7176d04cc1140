"""A draft document put out for comment, split into sections and numbered paragraphs that residents comment on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    consultation = models.ForeignKey(
        "consultations.Consultation",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("consultation"),
    )
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(
        _("source"), max_length=10, blank=True, help_text=_("How the text came in: pasted, docx, odt, pdf.")
    )
    weight = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["weight", "id"]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="sections", verbose_name=_("document")
    )
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    number = models.CharField(_("number"), max_length=20, blank=True)
    weight = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["weight", "id"]

    def __str__(self) -> str:
        return self.heading or str(self.number)


class Paragraph(models.Model):
    """text is sanitised HTML (veche.core.sanitize) of one paragraph; number counts paragraphs across the document."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="paragraphs", verbose_name=_("document")
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="paragraphs", verbose_name=_("section"))
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"))
    weight = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        ordering = ["weight", "id"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_paragraph_number")]

    def __str__(self) -> str:
        return f"§ {self.number}"
