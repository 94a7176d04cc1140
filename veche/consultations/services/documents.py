"""Documents put out for comment: importing (paste or DOCX/ODT/PDF), previewing, saving, replacing while nobody has
commented, deleting; and attachments (maps, annexes) whose type is judged by their content."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from veche.audit.services import record
from veche.consultations import importing
from veche.consultations.files import LABELS, safe_filename, sniff_attachment
from veche.consultations.models import Attachment, Contribution, Document, Paragraph, Section
from veche.core.permissions import require_permission

MANAGE = "consultations.change_consultation"
MAX_TITLE = 200

IMPORT_MESSAGES = {
    "too_large": _("The document is too large to import. Split it into several documents."),
    "too_many_paragraphs": _("The document has more than %(limit)s paragraphs. Split it into several documents."),
    "unsupported": _("This file is not a DOCX, ODT or PDF document we can read. Paste the text instead."),
    "unreadable": _("The file could not be read; it may be damaged. Save it again or paste the text instead."),
    "encrypted": _("The PDF is protected by a password. Upload an unprotected copy or paste the text."),
    "no_text": _("No text was found in the PDF (it may be a scan). Paste the text instead."),
    "empty": _("There is no text to put out for comment."),
}


def import_problem(problem: importing.DocumentImportError) -> ValidationError:
    message = IMPORT_MESSAGES.get(problem.code, IMPORT_MESSAGES["unreadable"])
    return ValidationError(message, code=problem.code, params={"limit": importing.MAX_PARAGRAPHS})


def read_source(*, text: str = "", data: bytes | None = None) -> tuple[str, str]:
    """(content, source) of a draft: the uploaded file's extracted text if data is given, else the pasted text.
    source is "docx", "odt", "pdf" or "pasted". Raises ValidationError with a message for the coordinator."""
    try:
        if data:
            kind = importing.sniff_format(data)
            content = importing.extract(data)
            return content, kind or ""
        return text, "pasted"
    except importing.DocumentImportError as problem:
        raise import_problem(problem) from problem


def split(content: str) -> list[importing.SectionDraft]:
    """The sections and paragraphs a draft will be saved as (what the preview shows). ValidationError if empty or
    too large."""
    try:
        return importing.split_document(content)
    except importing.DocumentImportError as problem:
        raise import_problem(problem) from problem


def drafts_as_html(sections: list[importing.SectionDraft]) -> str:
    """The split draft as HTML that splits again into the same sections (the preview's hidden field)."""
    return importing.drafts_to_html(sections)


def _check_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Give the document a title.")})
    return title[:MAX_TITLE]


def _write_sections(document: Document, sections: list[importing.SectionDraft]) -> int:
    number = 0
    paragraphs = []
    for index, draft in enumerate(sections):
        section = Section.objects.create(document=document, heading=draft.heading, number=draft.number, weight=index)
        for text in draft.paragraphs:
            number += 1
            paragraphs.append(Paragraph(document=document, section=section, number=number, text=text, weight=number))
    Paragraph.objects.bulk_create(paragraphs, batch_size=500)
    return number


def save_document(*, actor: Any, consultation: Any, title: str, content: str, source: str) -> Document:
    """Create a document of consultation from content (pasted text or HTML, or what read_source extracted).

    Needs consultations.change_consultation. The content is split (and sanitised) here again, whatever the preview
    showed. Audits.
    """
    require_permission(actor, MANAGE, consultation)
    title = _check_title(title)
    sections = split(content)
    with transaction.atomic():
        weight = Document.objects.filter(consultation=consultation).count()
        document = Document.objects.create(
            consultation=consultation, title=title, source=(source or "pasted")[:10], weight=weight
        )
        count = _write_sections(document, sections)
        record(
            actor=actor,
            action="consultations.document_added",
            target=document,
            organisation=consultation.organisation_id,
            data={"paragraphs": count, "source": document.source},
        )
    return document


def has_contributions(document: Document) -> bool:
    """Whether anyone commented on (or proposed wording for) a paragraph of the document."""
    return Contribution.objects.filter(paragraph__document=document).exists()


def replace_document(*, actor: Any, document: Document, title: str, content: str, source: str) -> Document:
    """Replace the document's sections and paragraphs with a new import, only while nobody has commented on it
    (comments point at paragraphs; replacing them would detach what people wrote). The document row is locked so
    that a comment arriving at the same moment either lands first (and the replacement is refused) or waits.

    Raises ValidationError (code "has_comments") once there are comments. Audits.
    """
    consultation = document.consultation
    require_permission(actor, MANAGE, consultation)
    title = _check_title(title)
    sections = split(content)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if has_contributions(locked):
            raise ValidationError(
                _(
                    "People have already commented on this document, so it can no longer be replaced: their comments "
                    "refer to its paragraphs. Add the new version as another document instead."
                ),
                code="has_comments",
            )
        Paragraph.objects.filter(document=locked).delete()
        Section.objects.filter(document=locked).delete()
        locked.title = title
        locked.source = (source or "pasted")[:10]
        locked.save(update_fields=["title", "source"])
        count = _write_sections(locked, sections)
        record(
            actor=actor,
            action="consultations.document_replaced",
            target=locked,
            organisation=consultation.organisation_id,
            data={"paragraphs": count, "source": locked.source},
        )
    return locked


def delete_document(*, actor: Any, document: Document) -> None:
    """Delete a document nobody has commented on (ValidationError "has_comments" otherwise). Audits."""
    consultation = document.consultation
    require_permission(actor, MANAGE, consultation)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if has_contributions(locked):
            raise ValidationError(
                _("People have commented on this document; it stays, with their comments."), code="has_comments"
            )
        record(
            actor=actor,
            action="consultations.document_deleted",
            target=locked,
            organisation=consultation.organisation_id,
            data={"title": locked.title},
        )
        locked.delete()


# --- attachments -----------------------------------------------------------------------------------------------------


def max_attachment_bytes() -> int:
    return int(getattr(settings, "VECHE_CONSULTATION_ATTACHMENT_BYTES", 20_000_000))


def check_attachment_size(size: int | None) -> None:
    """ValidationError (on "file") for a file over VECHE_CONSULTATION_ATTACHMENT_BYTES."""
    limit = max_attachment_bytes()
    if size is not None and size > limit:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("The file is %(size)s; the largest we accept is %(limit)s."),
                    code="too_large",
                    params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
                )
            }
        )


def add_attachment(
    *, actor: Any, consultation: Any, title: str, name: str, data: bytes, document: Document | None = None
) -> Attachment:
    """Publish a file with the consultation. Its type is judged by its bytes (PDF, images, office documents); the
    stored name is random, the shown name cleaned. ValidationError for a file too large or of another type. Audits."""
    require_permission(actor, MANAGE, consultation)
    check_attachment_size(len(data))
    if not data:
        raise ValidationError({"file": ValidationError(_("The file is empty."), code="empty")})
    kind = sniff_attachment(data)
    if kind is None:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("Attach a PDF, an image (PNG, JPEG, GIF, WebP) or an office document (DOCX, XLSX, ODT, ODS)."),
                    code="bad_type",
                )
            }
        )
    if document is not None and document.consultation_id != consultation.pk:
        raise ValidationError({"document": _("Choose a document of this consultation.")})
    filename = safe_filename(name, kind)
    title = " ".join((title or "").split())[:200] or filename
    with transaction.atomic():
        attachment = Attachment(
            consultation=consultation,
            document=document,
            title=title,
            original_name=filename,
            file_type=kind,
            size=len(data),
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            weight=Attachment.objects.filter(consultation=consultation).count(),
        )
        attachment.file.save(filename, ContentFile(data), save=False)
        attachment.save()
        record(
            actor=actor,
            action="consultations.attachment_added",
            target=attachment,
            organisation=consultation.organisation_id,
            data={"type": LABELS[kind], "size": len(data)},
        )
    return attachment


def delete_attachment(*, actor: Any, attachment: Attachment) -> None:
    """Remove an attachment and its file. Audits."""
    consultation = attachment.consultation
    require_permission(actor, MANAGE, consultation)
    with transaction.atomic():
        record(
            actor=actor,
            action="consultations.attachment_deleted",
            target=attachment,
            organisation=consultation.organisation_id,
            data={"title": attachment.title},
        )
        storage, path = attachment.file.storage, attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(path))
