"""Named queries of the documents part's pages, each a fixed number of queries whatever the number of paragraphs,
comments, replies and supports (the tests assert it)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from veche.consultations.choices import ContributionKind, ContributionStatus
from veche.consultations.models import Attachment, Contribution, Document, Paragraph, Section, Support

TOP_LEVEL = (ContributionKind.COMMENT, ContributionKind.WORDING)
PUBLISHED = ContributionStatus.PUBLISHED


def documents_for_consultation_page(consultation: Any) -> QuerySet[Document]:
    """The consultation's documents with their paragraph and published comment counts (one query)."""
    return Document.objects.filter(consultation=consultation).annotate(
        paragraph_count=Count("paragraphs", distinct=True),
        comment_count=Count(
            "paragraphs__contributions",
            filter=Q(paragraphs__contributions__status=PUBLISHED, paragraphs__contributions__kind__in=TOP_LEVEL),
            distinct=True,
        ),
    )


def attachments_of(consultation: Any) -> QuerySet[Attachment]:
    return Attachment.objects.filter(consultation=consultation).select_related("document")


def sections_for_document_page(document: Document) -> list[Section]:
    """Sections with their paragraphs in order, each paragraph annotated with its published comments (`comments`),
    proposed wordings (`wordings`) and replies (`replies`): two queries."""
    published = Q(contributions__status=PUBLISHED)
    paragraphs = Paragraph.objects.filter(document=document).annotate(
        comments=Count("contributions", filter=published & Q(contributions__kind=ContributionKind.COMMENT)),
        wordings=Count("contributions", filter=published & Q(contributions__kind=ContributionKind.WORDING)),
        replies=Count("contributions", filter=published & Q(contributions__kind=ContributionKind.REPLY)),
    )
    return list(
        Section.objects.filter(document=document).prefetch_related(
            Prefetch("paragraphs", queryset=paragraphs, to_attr="paragraph_list")
        )
    )


def threads_for_paragraph_page(paragraph: Paragraph) -> QuerySet[Contribution]:
    """Comments and wordings on the paragraph (hidden ones too: the page shows their placeholder), oldest first,
    with their authors, support counts and replies (one query for the page, one for its replies)."""
    replies = (
        Contribution.objects.filter(kind=ContributionKind.REPLY)
        .select_related("participant__user")
        .order_by("created_at", "id")
    )
    return (
        Contribution.objects.filter(paragraph=paragraph, kind__in=TOP_LEVEL, parent__isnull=True)
        .select_related("participant__user")
        .annotate(support_count=Count("supports"))
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="reply_list"))
        .order_by("created_at", "id")
    )


def supported_ids(participant: Any, contributions: list[Contribution]) -> set[int]:
    """Which of contributions the participant supports (one query, none without a participant)."""
    if participant is None or not contributions:
        return set()
    return set(
        Support.objects.filter(
            participant=participant, contribution__in=[item.pk for item in contributions]
        ).values_list("contribution_id", flat=True)
    )
