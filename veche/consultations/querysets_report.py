"""Queries of the report part: which contributions need an answer, which have one, and the staff's work queue.

Functions rather than ContributionQuerySet methods, so the part stays in its own files; each takes and returns a
queryset of contributions."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from veche.consultations.choices import ContributionStatus

# Answered: it has its own response, or it belongs to a theme that has one.
ANSWERED = Q(official_response__isnull=False) | Q(theme_link__theme__response__isnull=False)


def needing_response(consultation: Any) -> QuerySet:
    """Every contribution of consultation that must get an official response: the answerable kinds (not replies)
    that are published. A hidden contribution is answered by the moderator's public reason instead."""
    from veche.consultations.models import Contribution

    return (
        Contribution.objects.filter(consultation=consultation).answerable().filter(status=ContributionStatus.PUBLISHED)
    )


def unanswered(consultation: Any) -> QuerySet:
    return needing_response(consultation).exclude(ANSWERED)


def response_progress(consultation: Any) -> tuple[int, int]:
    """(answered, total) of the contributions that need a response — one query."""
    from django.db.models import Count

    totals = needing_response(consultation).aggregate(total=Count("pk"), answered=Count("pk", filter=ANSWERED))
    return totals["answered"], totals["total"]


def with_responses(queryset: QuerySet) -> QuerySet:
    """Everything a row of the queue, the report or an export shows, in one query: the participant, the paragraph
    and its section, the own response and the theme with its response."""
    return queryset.select_related(
        "participant",
        "paragraph__section",
        "official_response",
        "theme_link__theme__response",
    )


def for_response_queue(consultation: Any) -> QuerySet:
    """The staff's work queue: contributions needing a response, unanswered first, oldest first within each."""
    from veche.consultations.models import OfficialResponse

    own = OfficialResponse.objects.filter(contribution=OuterRef("pk"))
    return (
        with_responses(needing_response(consultation))
        .annotate(
            answered_rank=Case(
                When(Exists(own) | Q(theme_link__theme__response__isnull=False), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("answered_rank", "created_at", "id")
    )
