"""The scale goal of issue #4: a consultation with a 300-paragraph document and 2,000 comments (with replies,
supports, proposed wordings, some hidden by a moderator) is served with the same number of queries as one with a
three-paragraph document — its page, the document page, the busiest paragraph's page and the API's document and
contribution lists — for an anonymous visitor, a signed-in participant and a moderator."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veche.consultations.models import Contribution, Participant, Support
from veche.consultations.querysets_documents import TOP_LEVEL
from veche.consultations.tests.factories import busy_document, consultation_in
from veche.consultations.views.documents import THREADS_PER_PAGE

pytestmark = pytest.mark.django_db


def _pages(consultation, document, paragraph) -> dict[str, str]:
    kwargs = {"org_slug": consultation.organisation.slug, "slug": consultation.slug, "document_id": document.pk}
    api = f"/api/v1/consultations/{consultation.pk}"
    return {
        "consultation page": consultation.get_absolute_url(),
        "document page": reverse("consultations:document", kwargs=kwargs),
        "busiest paragraph": reverse("consultations:paragraph", kwargs={**kwargs, "number": paragraph.number}),
        "busiest paragraph, page 2": reverse("consultations:paragraph", kwargs={**kwargs, "number": paragraph.number})
        + "?page=2",
        "API documents": f"{api}/documents",
        "API document": f"{api}/documents/{document.pk}",
        "API contributions": f"{api}/contributions?document={document.pk}&limit=100",
        "API paragraph's contributions": f"{api}/contributions?document={document.pk}&paragraph={paragraph.number}",
    }


def _consultation(personas, **size):
    """A consultation whose document has `size` paragraphs and comments; the resident takes part in it: wrote one of
    the busiest paragraph's first threads and supports three others there."""
    consultation = consultation_in(personas.organisation)
    document, busiest = busy_document(consultation, moderator=personas.moderator, **size)
    own = Participant.objects.create(consultation=consultation, user=personas.resident, display_name="Resident R")
    first = list(Contribution.objects.filter(paragraph=busiest, kind__in=TOP_LEVEL).order_by("created_at", "id")[:4])
    Contribution.objects.filter(pk=first[0].pk).update(participant=own)
    Support.objects.bulk_create(Support(contribution=item, participant=own) for item in first[1:])
    return consultation, document, busiest


def _counts(client, pages: dict[str, str]) -> dict[str, int]:
    counts = {}
    for label, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (label, response.status_code)
        counts[label] = len(queries)
    return counts


@pytest.mark.parametrize("persona", ["anonymous", "resident", "moderator"])
def test_busy_consultation_pages_make_as_many_queries_as_small_ones(client, personas, persona):
    small = _consultation(personas, paragraphs=3, comments=12)
    big = _consultation(personas, paragraphs=300, comments=2000)
    if persona != "anonymous":
        client.force_login(personas.get(persona))
    small_pages, big_pages = _pages(*small), _pages(*big)
    _counts(client, small_pages)  # first requests fill per-process caches (content types, the site)
    assert _counts(client, big_pages) == _counts(client, small_pages)


def test_the_busy_case_is_what_the_counts_are_about(client, personas):
    """The big consultation really shows a full page of threads with replies, hidden ones and the resident's own
    and supported ones, 300 paragraphs and the counts of 2,000 comments — so equal counts mean no N+1."""
    consultation, document, busiest = _consultation(personas, paragraphs=300, comments=2000)
    assert Contribution.objects.filter(consultation=consultation, kind__in=TOP_LEVEL).count() == 2000
    client.force_login(personas.resident)
    pages = _pages(consultation, document, busiest)
    response = client.get(pages["busiest paragraph"])
    threads = response.context["threads"]
    assert len(threads) == THREADS_PER_PAGE
    assert sum(thread["own"] for thread in threads) == 1 and sum(thread["supported"] for thread in threads) == 3
    assert any(thread["item"].is_hidden for thread in threads)
    assert any(thread["item"].reply_list for thread in threads) and any(thread["segments"] for thread in threads)
    assert all(thread["reply_form"] is not None for thread in threads)
    page = response.content.decode()
    for thread in threads:  # each reply form, rendered once for the page, is the thread's own
        pk, shown = thread["item"].pk, not thread["item"].is_hidden
        assert (f"/contributions/{pk}/reply/" in page, f'id="id_reply_{pk}_text"' in page) == (shown, shown)
    sections = client.get(pages["document page"]).context["sections"]
    assert sum(len(section.paragraph_list) for section in sections) == 300
    assert "2000 comments" not in client.get(pages["consultation page"]).content.decode()  # hidden ones not counted
    listed = client.get(pages["API documents"]).json()[0]
    assert listed["paragraphs"] == 300 and 1800 < listed["comments"] < 2000
    assert client.get(pages["API contributions"]).json()["count"] == 2000 + 500
