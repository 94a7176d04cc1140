"""Addresses of documents, paragraphs and contributions (for pages, notifications, the moderation queue and the API).
Each needs the named relations loaded to stay query-free."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse


def absolute(url: str) -> str:
    """A site path as a full address (for emails)."""
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def consultation_kwargs(consultation: Any) -> dict[str, str]:
    """Needs consultation.organisation loaded."""
    return {"org_slug": consultation.organisation.slug, "slug": consultation.slug}


def document_url(document: Any, consultation: Any = None) -> str:
    consultation = consultation or document.consultation
    return reverse("consultations:document", kwargs={**consultation_kwargs(consultation), "document_id": document.pk})


def paragraph_url(paragraph: Any, consultation: Any = None) -> str:
    """Needs paragraph.document_id and the consultation (given, or paragraph.document.consultation loaded)."""
    consultation = consultation or paragraph.document.consultation
    return reverse(
        "consultations:paragraph",
        kwargs={**consultation_kwargs(consultation), "document_id": paragraph.document_id, "number": paragraph.number},
    )


SENTINEL = 987654321


def paragraph_urls(document: Any, consultation: Any) -> Callable[[int], str]:
    """paragraph_url for every paragraph of one document from a single reverse() (the number is swapped in): the
    page of a 300-paragraph document spent a fifth of its time reversing."""
    sample = reverse(
        "consultations:paragraph",
        kwargs={**consultation_kwargs(consultation), "document_id": document.pk, "number": SENTINEL},
    )
    before, after = sample.split(str(SENTINEL))
    return lambda number: f"{before}{number}{after}"


def contribution_url(contribution: Any) -> str:
    """The paragraph page at the contribution (needs contribution.paragraph and contribution.consultation with its
    organisation loaded); the consultation page for contributions that are not on a paragraph."""
    consultation = contribution.consultation
    if contribution.paragraph_id is None:
        return consultation.get_absolute_url()
    return paragraph_url(contribution.paragraph, consultation) + f"#contribution-{contribution.pk}"
