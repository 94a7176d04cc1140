"""The documents API: documents with sections and paragraphs, public contributions with hidden ones as placeholders,
visibility as on the site, and query counts that do not grow with the document."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from veche.consultations.choices import ContributionKind, ContributionStatus
from veche.consultations.models import Support
from veche.consultations.tests.factories import consultation_in, contribution, document_for, participant

pytestmark = pytest.mark.django_db


def test_documents_and_one_document(client, personas):
    consultation = consultation_in(personas.organisation)
    document = document_for(consultation, sections=2, paragraphs=2)
    contribution(consultation, paragraph=document.paragraphs.get(number=3))
    listing = client.get(f"/api/v1/consultations/{consultation.pk}/documents")
    assert listing.status_code == 200
    assert listing.json()[0] | {"page_url": ""} == {
        "id": document.pk,
        "title": "Draft plan",
        "source": "pasted",
        "paragraphs": 4,
        "comments": 1,
        "page_url": "",
    }
    detail = client.get(f"/api/v1/consultations/{consultation.pk}/documents/{document.pk}").json()
    assert [section["heading"] for section in detail["sections"]] == ["Part 1", "Part 2"]
    third = detail["sections"][1]["paragraphs"][0]
    assert third == {"number": 3, "html": "<p>Paragraph 3.</p>", "text": "Paragraph 3.", "comments": 1,
                     "wordings": 0, "replies": 0}  # fmt: skip
    assert client.get(f"/api/v1/consultations/{consultation.pk}/documents/999999").status_code == 404


def test_unpublished_consultations_are_404(client, personas):
    draft = consultation_in(personas.organisation, published=False)
    assert client.get(f"/api/v1/consultations/{draft.pk}/documents").status_code == 404
    assert client.get(f"/api/v1/consultations/{draft.pk}/contributions").status_code == 404


def test_contributions_with_diff_reply_support_and_a_hidden_placeholder(client, personas):
    consultation = consultation_in(personas.organisation)
    document = document_for(consultation, sections=1, paragraphs=2)
    paragraph = document.paragraphs.get(number=1)
    author = participant(consultation, user=personas.resident, display_name="Jana")
    wording = contribution(
        consultation,
        kind=ContributionKind.WORDING,
        paragraph=paragraph,
        participant=author,
        text="Clearer",
        proposed_text="Paragraph one.",
    )
    contribution(consultation, kind=ContributionKind.REPLY, parent=wording, paragraph=paragraph, text="Yes")
    Support.objects.create(contribution=wording, participant=participant(consultation, user=personas.member))
    contribution(
        consultation,
        paragraph=document.paragraphs.get(number=2),
        participant=author,
        text="Secret insult",
        status=ContributionStatus.HIDDEN,
        moderation_reason="Insulting.",
        moderated_at=consultation.opens_at,
    )
    data = client.get(f"/api/v1/consultations/{consultation.pk}/contributions").json()
    assert data["count"] == 3
    first, reply, hidden = data["items"]
    assert first["kind"] == "wording" and first["author"] == "Jana" and first["supports"] == 1
    assert first["diff"] == [{"kind": "same", "text": "Paragraph"}, {"kind": "removed", "text": "1."},
                             {"kind": "added", "text": "one."}]  # fmt: skip
    assert reply["parent"] == wording.pk
    assert hidden == hidden | {"hidden": True, "text": None, "author": None, "moderation_reason": "Insulting."}
    only = client.get(f"/api/v1/consultations/{consultation.pk}/contributions?document={document.pk}&paragraph=2")
    assert only.json()["count"] == 1
    assert client.get(f"/api/v1/consultations/{consultation.pk}/contributions?kind=reply").json()["count"] == 1


def test_api_query_counts_do_not_grow(client, personas):
    consultation = consultation_in(personas.organisation)
    small = document_for(consultation, sections=1, paragraphs=1)
    contribution(consultation, paragraph=small.paragraphs.get())
    url = f"/api/v1/consultations/{consultation.pk}"
    counts = []
    for _round in range(2):
        for path in ("/documents", f"/documents/{small.pk}", "/contributions"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url + path).status_code == 200
            counts.append(len(queries))
        big = document_for(consultation, sections=5, paragraphs=20)
        for item in big.paragraphs.all():
            contribution(consultation, paragraph=item)
        small = big
    assert counts[:3] == counts[3:], counts
