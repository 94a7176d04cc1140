"""The report part's API: responses and themes (public once the report is out), the published report."""

from __future__ import annotations

import pytest
from django.utils import timezone

from veche.consultations.choices import ContributionStatus
from veche.consultations.models import ResponseOutcome
from veche.consultations.services import report, responses
from veche.consultations.tests.factories import consultation_in, contribution

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(personas, django_capture_on_commit_callbacks):
    consultation = consultation_in(personas.organisation, phase="analysis")
    first, second = contribution(consultation, text="Trees"), contribution(consultation, text="Benches")
    contribution(consultation, status=ContributionStatus.HIDDEN, moderation_reason="Spam", text="BUY NOW")
    theme = responses.create_theme(actor=personas.coordinator, consultation=consultation, title="Green")
    responses.assign_to_theme(actor=personas.coordinator, theme=theme, contributions=[first], consultation=consultation)
    responses.respond_to_theme(actor=personas.coordinator, theme=theme, outcome="accepted", justification="Planting")
    responses.respond(actor=personas.coordinator, contribution=second, outcome="partly", justification="Some")
    report.save_outcome(actor=personas.coordinator, consultation=consultation, outcome="We plant.")
    with django_capture_on_commit_callbacks(execute=True):
        report.request_build(actor=personas.coordinator, consultation=consultation, publish=True)
    consultation.refresh_from_db()
    assert consultation.report_published_at is not None
    return consultation


def test_responses_list_with_theme_answers_and_hidden_placeholders(client, published):
    data = client.get(f"/api/v1/consultations/{published.pk}/responses").json()
    assert data["count"] == 3
    by_text = {item["text"]: item for item in data["items"]}
    assert by_text["Trees"]["response"]["justification"] == "Planting" and by_text["Trees"]["response"]["theme"]
    assert by_text["Benches"]["response"]["outcome"] == ResponseOutcome.PARTLY
    hidden = by_text[""]
    assert hidden["hidden"] and hidden["moderation_reason"] == "Spam" and hidden["response"] is None
    assert "BUY NOW" not in str(data)
    only = client.get(f"/api/v1/consultations/{published.pk}/responses?outcome=partly").json()
    assert [item["text"] for item in only["items"]] == ["Benches"]


def test_themes_and_report(client, published):
    themes = client.get(f"/api/v1/consultations/{published.pk}/themes").json()
    assert themes[0]["title"] == "Green" and themes[0]["contributions"] == 1
    data = client.get(f"/api/v1/consultations/{published.pk}/report").json()
    assert data["outcome_text"] == "We plant." and data["participation"]["contributions"] == 3
    assert [item["name"] for item in data["files"]] == ["report.pdf", "contributions.csv", "contributions.xlsx"]
    pdf = client.get(data["files"][0]["url"].replace("http://testserver", ""))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_responses_are_not_public_before_the_report(client, personas):
    consultation = consultation_in(personas.organisation, phase="analysis")
    contribution(consultation)
    assert client.get(f"/api/v1/consultations/{consultation.pk}/responses").status_code == 404
    assert client.get(f"/api/v1/consultations/{consultation.pk}/report").status_code == 404
    client.force_login(personas.moderator)
    assert client.get(f"/api/v1/consultations/{consultation.pk}/responses").status_code == 200


def test_unknown_or_invisible_consultation_is_404(client, personas):
    draft = consultation_in(
        personas.organisation, phase="analysis", published=False, report_published_at=timezone.now()
    )
    assert client.get(f"/api/v1/consultations/{draft.pk}/themes").status_code == 404
    assert client.get("/api/v1/consultations/999999/report").status_code == 404
