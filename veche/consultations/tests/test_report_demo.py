"""The report part's demo: the closed consultation in Gdynia gets answers to everything and a published report."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from veche.consultations.demo_setup import CLOSED_SLUG
from veche.consultations.models import Consultation, EvaluationAnswer, PopulationFigure, StandardAssessment
from veche.consultations.querysets_report import response_progress, unanswered

pytestmark = pytest.mark.django_db


def test_demo_publishes_the_closed_consultations_report(client):
    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())  # idempotent
    consultation = Consultation.objects.get(slug=CLOSED_SLUG)
    assert consultation.report_published_at is not None
    assert not unanswered(consultation).exists()
    answered, total = response_progress(consultation)
    assert answered == total >= 14
    assert set(consultation.contributions.values_list("channel", flat=True)) >= {"online", "meeting", "paper"}
    assert consultation.themes.count() == 3
    assert StandardAssessment.objects.filter(consultation=consultation).count() >= 7
    assert PopulationFigure.objects.filter(organisation=consultation.organisation).count() == 10
    assert EvaluationAnswer.objects.filter(consultation=consultation).count() == 8
    report = consultation.report.published_build
    assert report.pdf and report.csv and report.xlsx
    page = client.get(f"{consultation.get_absolute_url()}report/")
    assert page.status_code == 200 and "Parking buforowy" in page.content.decode()
