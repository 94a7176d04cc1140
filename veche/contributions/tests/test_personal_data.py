"""Follows and reports in the data export, and what erasure leaves."""

from __future__ import annotations

import pytest

from veche.contributions import services
from veche.contributions.models import Follow, Report
from veche.contributions.personal_data import erase_follows_and_reports, export_follows_and_reports
from veche.participation.tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db


def test_export_and_erase(personas, reportable_process):
    process = ProcessFactory(organisation=personas.organisation)
    services.set_following(user=personas.resident, target=process, following=True)
    services.report_content(reporter=personas.resident, target=process, reason="other", explanation="Wrong date.")
    exported = export_follows_and_reports(personas.resident)
    assert exported["follows"][0]["id"] == process.pk
    assert exported["reports"][0]["explanation"] == "Wrong date."
    erase_follows_and_reports(personas.resident)
    assert not Follow.objects.exists()
    report = Report.objects.get()
    assert report.reporter is None and report.is_open
