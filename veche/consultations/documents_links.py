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


PLACEHOLDER = 9876543210123  # a number no paragraph or contribution has


def numbered(text: str) -> Callable[[int], str]:
    """text made once for PLACEHOLDER (a URL, a rendered form) as a function of the real number: rendering or
    reversing once and swapping the number in is what keeps pages with hundreds of paragraphs or threads fast."""
    marker = str(PLACEHOLDER)
    return lambda number: text.replace(marker, str(number))


def paragraph_urls(document: Any, consultation: Any) -> Callable[[int], str]:
    """paragraph_url for every paragraph of one document from a single reverse(): the page of a 300-paragraph
    document spent a fifth of its time reversing."""
    return numbered(
        reverse(
            "consultations:paragraph",
            kwargs={**consultation_kwargs(consultation), "document_id": document.pk, "number": PLACEHOLDER},
        )
    )


def contribution_url(contribution: Any) -> str:
    """The paragraph page at the contribution (needs contribution.paragraph and contribution.consultation with its
    organisation loaded); the consultation page for contributions that are not on a paragraph."""
    consultation = contribution.consultation
    if contribution.paragraph_id is None:
        return consultation.get_absolute_url()
    return paragraph_url(contribution.paragraph, consultation) + f"#contribution-{contribution.pk}"
