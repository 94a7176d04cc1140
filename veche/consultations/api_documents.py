"""Read API of consultation documents and public contributions: the documents of a consultation, one document with
its sections and numbered paragraphs (sanitised HTML and plain text, with comment counts), and the comments,
proposed wordings and replies residents wrote online. A hidden contribution is a placeholder with the moderator's
reason — never its text. Visibility is the site's (consultations.view_consultation)."""

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate

from veche.api.auth import PUBLIC, caller
from veche.api.errors import ApiError, Error
from veche.api.pagination import LimitOffsetPagination
from veche.api.routing import ApiRouter
from veche.consultations.choices import ContributionKind, ContributionStatus
from veche.consultations.documents_links import document_url
from veche.consultations.importing import html_to_text
from veche.consultations.models import Consultation, Contribution, Document
from veche.consultations.querysets_documents import (
    documents_for_consultation_page,
    sections_for_document_page,
    with_support_counts,
)
from veche.consultations.textdiff import word_diff

router = ApiRouter(tags=["consultations"])

MAX_ID = 2**31 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
PUBLIC_KINDS = (ContributionKind.COMMENT, ContributionKind.WORDING, ContributionKind.REPLY)


class DocumentSummary(Schema):
    id: int
    title: str
    source: str = Field(description="How the text came in: pasted, docx, odt or pdf.")
    paragraphs: int
    comments: int = Field(description="Published comments and proposed wordings on its paragraphs.")
    page_url: str


class ParagraphOut(Schema):
    number: int = Field(description="Counts paragraphs through the whole document, from 1.")
    html: str = Field(description="Sanitised HTML of the paragraph.")
    text: str = Field(description="The same as plain text.")
    comments: int
    wordings: int
    replies: int


class SectionOut(Schema):
    heading: str
    number: str = Field(description="The heading's own number (“1.2”, “§ 3”), if it has one.")
    paragraphs: list[ParagraphOut]


class DocumentDetail(DocumentSummary):
    sections: list[SectionOut]


class DiffSegment(Schema):
    kind: str = Field(description="same, removed or added")
    text: str


class ContributionOut(Schema):
    id: int
    kind: str = Field(description="comment, wording (a proposed new wording of the paragraph) or reply")
    document: int | None
    paragraph: int | None = Field(description="The paragraph's number in its document.")
    parent: int | None = Field(description="For a reply: the contribution it answers.")
    author: str | None = Field(description="The name the participant chose to show (never an address); null if hidden.")
    created_at: datetime
    hidden: bool
    moderation_reason: str | None = Field(description="Why the moderator hid (or restored) it; shown publicly.")
    text: str | None = Field(description="null while hidden by the moderator.")
    proposed_text: str | None = Field(description="The proposed wording (kind wording); null otherwise or if hidden.")
    diff: list[DiffSegment] | None = Field(description="Word diff of the paragraph to the proposed wording.")
    supports: int


class ContributionFilters(Schema):
    document: ObjectId | None = Field(None, description="Only contributions on this document's paragraphs.")
    paragraph: Annotated[int, Field(ge=1, le=MAX_ID)] | None = Field(
        None, description="Only contributions on the paragraph with this number (needs document)."
    )
    kind: str | None = Field(None, description="comment, wording or reply.", pattern="^(comment|wording|reply)$")


def _consultation_or_404(request: HttpRequest, consultation_id: int) -> Consultation:
    consultation = Consultation.objects.visible_to(caller(request)).with_timeline().filter(pk=consultation_id).first()
    if consultation is None:
        raise ApiError(404, "not_found", _("There is no consultation with this number."))
    return consultation


def _summary(request: HttpRequest, document: Document, consultation: Consultation) -> dict[str, Any]:
    return {
        "id": document.pk,
        "title": document.title,
        "source": document.source,
        "paragraphs": document.paragraph_count,
        "comments": document.comment_count,
        "page_url": request.build_absolute_uri(document_url(document, consultation)),
    }


@router.get(
    "/{consultation_id}/documents",
    auth=PUBLIC,
    response={200: list[DocumentSummary], 404: Error},
    url_name="consultation_documents",
    summary="Documents of a consultation",
)
def list_documents(request: HttpRequest, consultation_id: ObjectId) -> Any:
    """The drafts put out for comment, with their paragraph and comment counts."""
    consultation = _consultation_or_404(request, consultation_id)
    return [_summary(request, item, consultation) for item in documents_for_consultation_page(consultation)]


@router.get(
    "/{consultation_id}/documents/{document_id}",
    auth=PUBLIC,
    response={200: DocumentDetail, 404: Error},
    url_name="consultation_document",
    summary="One document with its sections and paragraphs",
)
def get_document(request: HttpRequest, consultation_id: ObjectId, document_id: ObjectId) -> Any:
    """Sections in order, each with its numbered paragraphs (HTML and text) and their comment counts."""
    consultation = _consultation_or_404(request, consultation_id)
    document = documents_for_consultation_page(consultation).filter(pk=document_id).first()
    if document is None:
        raise ApiError(404, "not_found", _("There is no such document in this consultation."))
    sections = [
        {
            "heading": section.heading,
            "number": section.number,
            "paragraphs": [
                {
                    "number": paragraph.number,
                    "html": paragraph.text,
                    "text": html_to_text(paragraph.text),
                    "comments": paragraph.comments,
                    "wordings": paragraph.wordings,
                    "replies": paragraph.replies,
                }
                for paragraph in section.paragraph_list
            ],
        }
        for section in sections_for_document_page(document)
    ]
    return {**_summary(request, document, consultation), "sections": sections}


class _Contributions:
    """Turns contribution rows into the public shape: hidden ones keep only the moderator's reason."""

    @staticmethod
    def out(item: Contribution) -> dict[str, Any]:
        hidden = item.status == ContributionStatus.HIDDEN
        paragraph = item.paragraph
        diff = None
        if item.kind == ContributionKind.WORDING and not hidden and paragraph is not None and item.proposed_text:
            segments = word_diff(html_to_text(paragraph.text), item.proposed_text)
            diff = [{"kind": kind, "text": text} for kind, text in segments] if segments is not None else None
        participant = item.participant
        author = None
        if not hidden:
            author = participant.public_name if participant is not None else (item.author_label or None)
        return {
            "id": item.pk,
            "kind": item.kind,
            "document": paragraph.document_id if paragraph is not None else None,
            "paragraph": paragraph.number if paragraph is not None else None,
            "parent": item.parent_id,
            "author": author,
            "created_at": item.created_at,
            "hidden": hidden,
            "moderation_reason": (item.moderation_reason or None) if item.moderated_at else None,
            "text": None if hidden else item.text,
            "proposed_text": None if hidden or item.kind != ContributionKind.WORDING else item.proposed_text,
            "diff": diff,
            "supports": item.support_count,
        }


@router.get(
    "/{consultation_id}/contributions",
    auth=PUBLIC,
    response={200: list[ContributionOut], 404: Error},
    url_name="consultation_contributions",
    summary="Public contributions of a consultation",
)
@paginate(LimitOffsetPagination)
def list_contributions(request: HttpRequest, consultation_id: ObjectId, filters: Query[ContributionFilters]) -> Any:
    """Comments, proposed wordings and replies written online, oldest first. A hidden contribution is listed as a
    placeholder (hidden: true) with the moderator's reason; its text and author are never given."""
    consultation = _consultation_or_404(request, consultation_id)
    items = Contribution.objects.filter(consultation=consultation, kind__in=PUBLIC_KINDS)
    if filters.document:
        items = items.filter(paragraph__document_id=filters.document)
        if filters.paragraph:
            items = items.filter(paragraph__number=filters.paragraph)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    return _PaginatedContributions(
        with_support_counts(items).select_related("participant__user", "paragraph").order_by("created_at", "id")
    )


class _PaginatedContributions:
    """A queryset wrapper whose slices come out in the public shape (the paginator counts and slices it)."""

    def __init__(self, queryset: Any) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [_Contributions.out(item) for item in self.queryset[window]]
