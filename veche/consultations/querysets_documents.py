"""Named queries of the documents part's pages, each a fixed number of queries whatever the number of paragraphs,
comments, replies and supports (the tests assert it)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from veche.consultations.choices import ContributionKind, ContributionStatus
from veche.consultations.models import Attachment, Contribution, Document, Paragraph, Section, Support

TOP_LEVEL = (ContributionKind.COMMENT, ContributionKind.WORDING)
PUBLISHED = ContributionStatus.PUBLISHED


def _count_of(queryset: QuerySet[Any], column: str) -> Coalesce:
    """A correlated COUNT(*) of queryset's rows (already filtered on OuterRef), grouped by column."""
    counted = queryset.order_by().values(column).annotate(total=Count("*")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def documents_for_consultation_page(consultation: Any) -> QuerySet[Document]:
    """The consultation's documents with their paragraph and published comment counts (one query). Subqueries, not
    a join of paragraphs × contributions counted DISTINCT: that join sorted every comment of the consultation."""
    return Document.objects.filter(consultation=consultation).annotate(
        paragraph_count=_count_of(Paragraph.objects.filter(document=OuterRef("pk")), "document"),
        comment_count=_count_of(
            Contribution.objects.filter(paragraph__document=OuterRef("pk"), status=PUBLISHED, kind__in=TOP_LEVEL),
            "paragraph__document",
        ),
    )


def with_support_counts(contributions: QuerySet[Contribution]) -> QuerySet[Contribution]:
    """Each contribution's `support_count` as a correlated subquery: PostgreSQL counts it for the rows of the page
    only, where Count("supports") joined and grouped every matching contribution before the LIMIT."""
    return contributions.annotate(
        support_count=_count_of(Support.objects.filter(contribution=OuterRef("pk")), "contribution")
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
        with_support_counts(Contribution.objects.filter(paragraph=paragraph, kind__in=TOP_LEVEL, parent__isnull=True))
        .select_related("participant__user")
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
