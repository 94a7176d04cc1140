"""A corpus of XSS payloads fed into every text field of the documents part — comment, proposed wording, reply,
display name, pasted document, attachment title and file name, code of conduct, moderator's reason — and none of
it comes back as markup: the pages are parsed and searched for scripts, event handlers and script URLs, and the
API returns the texts as data."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from veche.consultations.models import Contribution, Document
from veche.consultations.services import documents as documents_services
from veche.consultations.services.documents_moderation import hide_contribution
from veche.consultations.tests.documents_files import PNG_1PX
from veche.consultations.tests.factories import consultation_in

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('xss-1')</script>",
    '"><img src=x onerror=alert("xss-2")>',
    "<svg/onload=alert('xss-3')>",
    "<a href=\"javascript:alert('xss-4')\">click</a>",
    "</textarea><script>alert('xss-5')</script>",
    "<iframe src=\"javascript:alert('xss-6')\"></iframe>",
    "<div style=\"background:url(javascript:alert('xss-7'))\" onmouseover=\"alert('xss-7')\">x</div>",
    "'-alert('xss-8')-'",
    "<body onload=alert('xss-9')>",
    "<math><mtext></mtext><mglyph><svg><mtext><textarea><path id=\"</textarea><img onerror=alert('xss-10') src=1>\">",
    "{{ 7|add:7 }} {% now 'Y' %}",
    "<details open ontoggle=alert('xss-11')>",
]
CORPUS = "\n\n".join(PAYLOADS)


class _Audit(HTMLParser):
    """Collects every way the page could run injected code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in ("iframe", "svg", "math", "object", "embed") or (tag == "img" and dict(attrs).get("src") == "x"):
            self.problems.append(f"<{tag}>")
        if tag == "script":
            self._in_script = True
            if not dict(attrs).get("src"):
                self.problems.append("inline <script>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"{tag} {name}=javascript:")
            if name == "style" and "javascript" in (value or ""):
                self.problems.append(f"{tag} style=")

    def handle_data(self, data):
        if self._in_script and "xss" in data:
            self.problems.append("script body")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def _audit(html: str) -> list[str]:
    parser = _Audit()
    parser.feed(html)
    return parser.problems


@pytest.fixture
def poisoned(personas):
    consultation = consultation_in(personas.organisation, code_of_conduct=CORPUS)
    document = documents_services.save_document(
        actor=personas.coordinator,
        consultation=consultation,
        title=PAYLOADS[1],
        content="<h2>" + PAYLOADS[2] + "</h2>" + "".join(f"<p>{payload}</p>" for payload in PAYLOADS),
        source="pasted",
    )
    documents_services.add_attachment(
        actor=personas.coordinator,
        consultation=consultation,
        title=PAYLOADS[0],
        name=PAYLOADS[1] + ".png",
        data=PNG_1PX,
    )
    return consultation, document


def test_every_text_field_is_rendered_inert(client, personas, poisoned):
    consultation, document = poisoned
    paragraph = document.paragraphs.order_by("number").first()
    url = reverse(
        "consultations:paragraph",
        kwargs={
            "org_slug": consultation.organisation.slug,
            "slug": consultation.slug,
            "document_id": document.pk,
            "number": paragraph.number,
        },  # fmt: skip
    )
    client.force_login(personas.resident)
    for payload in PAYLOADS:
        client.post(url, {"text": payload, "proposed_text": payload, "display_name": payload[:80]})
    comment = Contribution.objects.filter(paragraph=paragraph).first()
    reply_url = reverse(
        "consultations:reply",
        kwargs={"org_slug": consultation.organisation.slug, "slug": consultation.slug, "contribution_id": comment.pk},
    )
    for payload in PAYLOADS:
        client.post(reply_url, {"text": payload, "display_name": payload[:80]})
    assert Contribution.objects.filter(paragraph=paragraph).count() == 2 * len(PAYLOADS)
    hidden = Contribution.objects.filter(paragraph=paragraph).last()
    hidden.consultation = consultation
    hide_contribution(actor=personas.moderator, contribution=hidden, reason=CORPUS)

    kwargs = {"org_slug": consultation.organisation.slug, "slug": consultation.slug}
    pages = [
        url,
        reverse("consultations:document", kwargs={**kwargs, "document_id": document.pk}),
        consultation.get_absolute_url(),
        reply_url,
        reverse("consultations:take_part", kwargs=kwargs),
    ]
    client.force_login(personas.coordinator)  # sees every staff link too
    pages += [
        reverse("consultations:moderate", kwargs={**kwargs, "contribution_id": hidden.pk}),
        reverse("consultations:attachments", kwargs=kwargs),
        reverse("consultations:document_replace", kwargs={**kwargs, "document_id": document.pk}),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert _audit(html) == [], (page, _audit(html))
        assert "xss-" not in html or "&lt;" in html  # the payloads are there, escaped
    # the preview shows the sanitised split before saving
    preview = client.post(
        reverse("consultations:document_add", kwargs=kwargs), {"step": "preview", "title": PAYLOADS[0], "text": CORPUS}
    )
    assert preview.status_code == 200 and _audit(preview.content.decode()) == []


def test_the_api_returns_texts_as_data_and_hides_hidden_ones(client, personas, poisoned):
    consultation, document = poisoned
    paragraph = document.paragraphs.order_by("number").first()
    client.force_login(personas.resident)
    url = reverse(
        "consultations:paragraph",
        kwargs={
            "org_slug": consultation.organisation.slug,
            "slug": consultation.slug,
            "document_id": document.pk,
            "number": paragraph.number,
        },  # fmt: skip
    )
    client.post(url, {"text": PAYLOADS[0], "display_name": PAYLOADS[2][:80]})
    secret = Contribution.objects.get()
    secret.consultation = consultation
    hide_contribution(actor=personas.moderator, contribution=secret, reason="Because " + PAYLOADS[1])
    client.logout()
    response = client.get(f"/api/v1/consultations/{consultation.pk}/contributions")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    item = response.json()["items"][0]
    assert item["hidden"] is True and item["text"] is None and item["author"] is None
    assert item["moderation_reason"] == "Because " + PAYLOADS[1]
    assert PAYLOADS[0] not in json.dumps(response.json())
    detail = client.get(f"/api/v1/consultations/{consultation.pk}/documents/{document.pk}").json()
    for section in detail["sections"]:
        for item in section["paragraphs"]:
            assert _audit(item["html"]) == [], item["html"]
    assert Document.objects.count() == 1
