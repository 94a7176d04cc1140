"""Document pages through the client: import with preview, reading, commenting (twice by a double click), wording
with a diff, replies, support, moderation, closed consultations, taking part without an account, attachments, and
the query counts of the busiest pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veche.consultations.choices import ContributionKind, ParticipationMode
from veche.consultations.models import Attachment, Contribution, Document, Participant, Support
from veche.consultations.services.documents_participation import generate_codes
from veche.consultations.tests.documents_files import PNG_1PX, docx
from veche.consultations.tests.factories import consultation_in, contribution, document_for, participant

pytestmark = pytest.mark.django_db


def _kwargs(consultation, **more):
    return {"org_slug": consultation.organisation.slug, "slug": consultation.slug, **more}


def _paragraph_url(consultation, document, number=1):
    return reverse("consultations:paragraph", kwargs=_kwargs(consultation, document_id=document.pk, number=number))


def test_coordinator_imports_a_docx_with_a_preview_then_saves(client, personas):
    consultation = consultation_in(personas.organisation)
    client.force_login(personas.coordinator)
    url = reverse("consultations:document_add", kwargs=_kwargs(consultation))
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("draft.docx", docx([("h1", "1. Scope"), ("p", "The park."), ("p", "Trees.")]))
    preview = client.post(url, {"step": "preview", "title": "Draft", "file": upload})
    assert preview.status_code == 200
    assert b"2 numbered paragraphs" in preview.content
    assert not Document.objects.exists()
    content = preview.context["save_form"].initial["content"]
    saved = client.post(url, {"step": "save", "title": "Draft", "content": content, "source": "docx"})
    document = Document.objects.get()
    assert saved.status_code == 302 and document.source == "docx"
    assert list(document.paragraphs.values_list("text", flat=True)) == ["<p>The park.</p>", "<p>Trees.</p>"]


def test_bad_upload_is_refused_with_a_message(client, personas):
    consultation = consultation_in(personas.organisation)
    client.force_login(personas.coordinator)
    url = reverse("consultations:document_add", kwargs=_kwargs(consultation))
    response = client.post(url, {"step": "preview", "title": "X", "file": SimpleUploadedFile("x.docx", b"<html>")})
    assert response.status_code == 200
    assert b"not a DOCX, ODT or PDF" in response.content


def test_residents_cannot_import(client, personas):
    consultation = consultation_in(personas.organisation)
    client.force_login(personas.resident)
    assert client.get(reverse("consultations:document_add", kwargs=_kwargs(consultation))).status_code == 403


def test_replacing_a_commented_document_is_refused(client, personas):
    consultation = consultation_in(personas.organisation)
    document = document_for(consultation, sections=1, paragraphs=1)
    contribution(consultation, paragraph=document.paragraphs.get())
    client.force_login(personas.coordinator)
    url = reverse("consultations:document_replace", kwargs=_kwargs(consultation, document_id=document.pk))
    page = client.get(url)
    assert b"can no longer be replaced" in page.content
    response = client.post(url, {"step": "save", "title": "New", "content": "<p>x</p>", "source": "pasted"})
    assert b"can no longer be replaced" in response.content
    assert document.paragraphs.get().text == "<p>Paragraph 1.</p>"


def test_resident_comments_and_a_double_click_stores_one(client, personas):
    consultation = consultation_in(personas.organisation)
    document = document_for(consultation, sections=1, paragraphs=2)
    url = _paragraph_url(consultation, document)
    anonymous_page = client.get(url)
    assert b"Sign in to take part" in anonymous_page.content
    client.force_login(personas.resident)
    page = client.get(url)
    token = page.context["form"]["token"].value()
    data = {"text": "More shade, please.", "proposed_text": "Paragraph 1.", "display_name": "Jana", "token": token}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    comment = Contribution.objects.get()
    assert comment.kind == ContributionKind.COMMENT
    assert first["Location"].endswith(f"#contribution-{comment.pk}")
    shown = client.get(url)
    assert b"More shade, please." in shown.content and b"Jana" in shown.content
    messages = [str(message) for message in shown.context["messages"]]
    assert messages.count("Thank you: your comment is published.") == 2


def test_proposed_wording_is_shown_as_a_diff(client, personas):
    consultation = consultation_in(personas.organisation)
    document = document_for(consultation, sections=1, paragraphs=1)
    client.force_login(personas.resident)
    url = _paragraph_url(consultation, document)
    client.post(url, {"text": "Shorter.", "proposed_text": "Paragraph one, shorter."})
    page = client.get(url).content.decode()
    assert Contribution.objects.get().kind == ContributionKind.WORDING
    assert '<del><span class="visually-hidden">[removed: </span>1.' in page
    assert '<ins><span class="visually-hidden">[added: </span>one, shorter.' in page


def test_reply_support_and_report_link(client, personas):
    consultation = consultation_in(personas.organisation)
    document = document_for(consultation, sections=1, paragraphs=1)
    author = participant(consultation, user=personas.resident)
    comment = contribution(consultation, paragraph=document.paragraphs.get(), participant=author, text="Benches")
    client.force_login(personas.member)
    reply_url = reverse("consultations:reply", kwargs=_kwargs(consultation, contribution_id=comment.pk))
    assert client.post(reply_url, {"text": "Yes, by the river."}).status_code == 302
    assert Contribution.objects.get(kind=ContributionKind.REPLY).parent == comment
    support_url = reverse("consultations:support", kwargs=_kwargs(consultation, contribution_id=comment.pk))
    client.post(support_url, {"support": "1"})
    client.post(support_url, {"support": "1"})
    assert Support.objects.count() == 1
    page = client.get(_paragraph_url(consultation, document)).content.decode()
    assert "Yes, by the river." in page and "1 supports this" in page and 'aria-pressed="true"' in page
    assert reverse("contributions:report", args=["consultations.contribution", comment.pk]) in page


def test_closed_consultation_shows_the_reason_and_refuses_posts(client, personas):
    consultation = consultation_in(personas.organisation, phase="analysis")
    document = document_for(consultation, sections=1, paragraphs=1)
    client.force_login(personas.resident)
    url = _paragraph_url(consultation, document)
    assert b"This consultation is closed" in client.get(url).content
    response = client.post(url, {"text": "Late"}, follow=True)
    assert b"not taking comments now" in response.content
    assert not Contribution.objects.exists()


def test_hidden_comment_shows_the_moderators_reason_not_its_text(client, personas):
    consultation = consultation_in(personas.organisation)
    document = document_for(consultation, sections=1, paragraphs=1)
    comment = contribution(consultation, paragraph=document.paragraphs.get(), text="Nasty words")
    moderate_url = reverse("consultations:moderate", kwargs=_kwargs(consultation, contribution_id=comment.pk))
    client.force_login(personas.other_administrator)
    assert client.get(moderate_url).status_code == 403
    client.force_login(personas.moderator)
    assert client.post(moderate_url, {"reason": "It insults a neighbour."}).status_code == 302
    client.logout()
    page = client.get(_paragraph_url(consultation, document)).content.decode()
    assert "Hidden by the moderator" in page and "It insults a neighbour." in page
    assert "Nasty words" not in page


def test_verified_email_flow_through_the_pages(client, personas, mailoutbox, django_capture_on_commit_callbacks):
    consultation = consultation_in(personas.organisation, participation_mode=ParticipationMode.VERIFIED_EMAIL)
    document = document_for(consultation, sections=1, paragraphs=1)
    paragraph_page = _paragraph_url(consultation, document)
    assert b"Confirm my email" in client.get(paragraph_page).content
    take_part = reverse("consultations:take_part", kwargs=_kwargs(consultation))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(take_part, {"email": "ana@example.org", "next": paragraph_page})
    assert b"We sent a link" in response.content
    link = next(word for word in mailoutbox[0].body.split() if "/take-part/email/" in word)
    followed = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert followed.status_code == 302 and followed["Location"] == paragraph_page
    client.post(paragraph_page, {"text": "From a verified address."})
    assert Contribution.objects.get().participant.email == "ana@example.org"


def test_one_time_code_flow_through_the_pages(client, personas):
    consultation = consultation_in(personas.organisation, participation_mode=ParticipationMode.ONE_TIME_CODE)
    document = document_for(consultation, sections=1, paragraphs=1)
    _batch, codes = generate_codes(actor=personas.coordinator, consultation=consultation, count=2)
    take_part = reverse("consultations:take_part", kwargs=_kwargs(consultation))
    paragraph_page = _paragraph_url(consultation, document)
    assert b"Enter my code" in client.get(paragraph_page).content
    response = client.post(take_part, {"code": codes[0], "next": paragraph_page})
    assert response.status_code == 302
    client.post(paragraph_page, {"text": "With a code."})
    assert Contribution.objects.get().participant.one_time_code is not None
    other = client_class_copy(client)
    refused = other.post(take_part, {"code": codes[0]})
    assert b"already been used" in refused.content


def client_class_copy(client):
    return type(client)()


def test_coordinator_prints_codes_once(client, personas):
    consultation = consultation_in(personas.organisation, participation_mode=ParticipationMode.ONE_TIME_CODE)
    client.force_login(personas.coordinator)
    url = reverse("consultations:codes", kwargs=_kwargs(consultation))
    response = client.post(url, {"count": 3, "label": "Street"})
    assert response.status_code == 200 and len(response.context["codes"]) == 3
    assert response.context["codes"][0].encode() in response.content
    listing = client.get(url)
    assert response.context["codes"][0].encode() not in listing.content
    client.force_login(personas.moderator)
    assert client.get(url).status_code == 403


def test_attachments_upload_and_safe_download(client, personas):
    consultation = consultation_in(personas.organisation)
    client.force_login(personas.coordinator)
    url = reverse("consultations:attachments", kwargs=_kwargs(consultation))
    refused = client.post(url, {"file": SimpleUploadedFile("x.png", b"<svg onload=alert(1)>")})
    assert b"Attach a PDF" in refused.content
    client.post(url, {"title": "Map", "file": SimpleUploadedFile("map.png", PNG_1PX, content_type="text/html")})
    attachment = Attachment.objects.get()
    client.logout()
    url = reverse("consultations:attachment", kwargs=_kwargs(consultation, attachment_id=attachment.pk))
    download = client.get(url)
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content) == PNG_1PX
    assert b"Map" in client.get(consultation.get_absolute_url()).content


def test_consultation_page_lists_documents(client, personas):
    consultation = consultation_in(personas.organisation)
    document = document_for(consultation, sections=1, paragraphs=3)
    contribution(consultation, paragraph=document.paragraphs.first())
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Draft plan" in page and "3 paragraphs" in page and "1 comment" in page


def _fill(consultation, document, comments, people):
    paragraphs = list(document.paragraphs.all())
    rows = [
        Contribution(
            consultation=consultation,
            kind=ContributionKind.WORDING if n % 5 == 0 else ContributionKind.COMMENT,
            participant=people[n % 20],
            paragraph=paragraphs[n % 3],
            text=f"Comment {n}",
            proposed_text="Paragraph changed." if n % 5 == 0 else "",
        )
        for n in range(comments)
    ]
    Contribution.objects.bulk_create(rows)
    first = Contribution.objects.filter(paragraph=paragraphs[0]).order_by("id")[:5]
    Contribution.objects.bulk_create(
        Contribution(
            consultation=consultation,
            kind=ContributionKind.REPLY,
            parent=item,
            paragraph=paragraphs[0],
            participant=people[1],
            text="Reply",
        )  # fmt: skip
        for item in first
    )
    Support.objects.bulk_create(Support(contribution=item, participant=people[2]) for item in first)


@pytest.mark.parametrize("persona", ["anonymous", "resident", "moderator"])
def test_document_and_paragraph_pages_have_a_fixed_number_of_queries(client, personas, persona):
    consultation = consultation_in(personas.organisation)
    small = document_for(consultation, sections=1, paragraphs=3)
    big = document_for(consultation, sections=10, paragraphs=30)
    people = Participant.objects.bulk_create(
        Participant(consultation=consultation, display_name=f"P{n}") for n in range(20)
    )
    _fill(consultation, small, 6, people)
    _fill(consultation, big, 300, people)
    if persona != "anonymous":
        client.force_login(personas.get(persona))
    counts = []
    for document in (small, big):
        for url in (
            reverse("consultations:document", kwargs=_kwargs(consultation, document_id=document.pk)),
            _paragraph_url(consultation, document),
            consultation.get_absolute_url(),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
    assert counts[:3] == counts[3:], counts
