"""Every cell of the "Consultations" table in docs/domain/permissions.md, checked against the rules. Each part of
the app adds the objects its rows name to build() below."""

from __future__ import annotations

import pytest

from veche.consultations.tests.factories import consultation_in
from veche.core.testing.permission_table import expectations_for

EXPECTATIONS = expectations_for("consultations.")


def build(obj: str, personas):
    if obj == "published consultation":
        return consultation_in(personas.organisation)
    if obj == "unpublished consultation":
        return consultation_in(personas.organisation, published=False)
    if obj == "closed consultation":
        return consultation_in(personas.organisation, phase="analysis")
    if obj == "consultation with a published report":
        from django.utils import timezone

        return consultation_in(personas.organisation, phase="finished", report_published_at=timezone.now())
    if obj == "organisation":
        return personas.organisation
    surveys = build_surveys_part(obj, personas)
    if surveys is not None:
        return surveys
    # --- documents, comments and moderation
    if obj == "consultation open without accounts":
        return consultation_in(personas.organisation, participation_mode="verified_email")
    if obj == "contribution":
        from veche.consultations.tests.factories import contribution

        item = contribution(consultation_in(personas.organisation))
        return type(item).objects.select_related("consultation").get(pk=item.pk)
    raise AssertionError(f"The permissions table names an object this test cannot build: {obj!r}")


def build_surveys_part(obj: str, personas):
    """Objects of the survey and offline-input rows."""
    from django.utils import timezone

    from veche.consultations.choices import ContributionKind
    from veche.consultations.models.surveys import ResultsVisibility
    from veche.consultations.tests.factories import contribution
    from veche.consultations.tests.surveys_factories import make_survey

    organisation = personas.organisation
    phases = {
        "consultation in analysis": "analysis",
        "consultation in announcement": "announcement",
        "finished consultation": "finished",
    }
    if obj in phases:
        return consultation_in(organisation, phase=phases[obj])
    if obj == "survey of an open consultation":
        return make_survey(consultation_in(organisation))
    if obj == "survey of a finished consultation":
        return make_survey(consultation_in(organisation, phase="finished"))
    if obj == "staff-only survey of a finished consultation":
        return make_survey(consultation_in(organisation, phase="finished"), results_visibility=ResultsVisibility.STAFF)
    recorders = {
        "offline contribution recorded by the moderator": ("open", personas.moderator, None),
        "offline contribution recorded by the coordinator": ("open", personas.coordinator, None),
        "offline contribution after the report": ("finished", personas.moderator, timezone.now()),
    }
    if obj in recorders:
        phase, recorder, report = recorders[obj]
        consultation = consultation_in(organisation, phase=phase, report_published_at=report)
        return contribution(consultation, kind=ContributionKind.OFFLINE, channel="meeting", recorded_by=recorder)
    return None


def test_the_table_covers_every_consultations_permission():
    import rules

    registered = {name for name in rules.permissions.permissions if name.startswith("consultations.")}
    assert registered == {item.permission for item in EXPECTATIONS}


@pytest.mark.django_db
@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=lambda item: item.id)
def test_permission_matrix(personas, expectation):
    obj = build(expectation.obj, personas)
    user = personas.get(expectation.persona)
    assert user.has_perm(expectation.permission, obj) is expectation.allowed
