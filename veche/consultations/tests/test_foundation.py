"""The foundation every part builds on: creating a consultation, the module type, standards, participants and the
consultation page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veche.consultations.choices import ContributionKind, TargetGroup
from veche.consultations.models import Consultation, Contribution, Participant, StandardSet
from veche.consultations.module import COMMENT, CONSULTATION, RESPOND
from veche.consultations.services.consultations import create_consultation
from veche.consultations.services.participants import current_participant, participant_for_user
from veche.consultations.services.standards import standard_set_for
from veche.consultations.tests.factories import consultation_in, contribution, document_for
from veche.participation.registry import get_module_type
from veche.participation.services import add_module

pytestmark = pytest.mark.django_db


def test_default_standard_is_seeded_in_three_languages():
    standard = StandardSet.objects.get(organisation__isnull=True)
    assert standard.min_open_days == 21
    keys = list(standard.items.values_list("key", flat=True))
    assert keys[:7] == [
        "good_faith",
        "universality",
        "transparency",
        "responsiveness",
        "coordination",
        "predictability",
        "general_interest",
    ]
    item = standard.items.get(key="good_faith")
    assert (item.title_cs, item.title_pl, item.title_en) == ("Dobrá víra", "Dobra wiara", "Good faith")


def test_an_organisations_own_standard_wins_over_the_default(personas):
    assert standard_set_for(personas.organisation).organisation is None
    own = StandardSet.objects.create(organisation=personas.organisation, name="Ours", min_open_days=30)
    assert standard_set_for(personas.organisation) == own


def test_module_type_phases_and_features():
    declared = get_module_type("consultation")
    assert declared is CONSULTATION
    assert [phase.key for phase in declared.phases] == ["announcement", "open", "analysis"]
    assert COMMENT in declared.features_by_phase["open"]
    assert COMMENT not in declared.features_by_phase["analysis"]
    assert RESPOND in declared.features_by_phase["analysis"]


def test_coordinator_creates_a_consultation_in_one_step(personas):
    consultation = create_consultation(
        actor=personas.coordinator,
        organisation=personas.organisation,
        subject="New park on the riverside",
        summary="The town will build a park. Tell us what it should have.",
        language="en",
        target_groups=[TargetGroup.YOUTH, TargetGroup.SENIORS, TargetGroup.YOUTH],
    )
    assert consultation.slug == "new-park-on-the-riverside"
    assert consultation.module.process.organisation == personas.organisation
    assert not consultation.module.process.is_published
    assert consultation.standard_set.min_open_days == 21
    assert sorted(consultation.target_groups.values_list("group", flat=True)) == ["seniors", "youth"]
    second = create_consultation(
        actor=personas.coordinator,
        organisation=personas.organisation,
        subject="New park on the riverside",
        summary="Again.",
        language="en",
    )
    assert second.slug == "new-park-on-the-riverside-2"


@pytest.mark.parametrize("persona", ["anonymous", "resident", "member", "moderator", "other_administrator"])
def test_only_coordinators_create_consultations(personas, persona):
    with pytest.raises(PermissionDenied):
        create_consultation(
            actor=personas.get(persona),
            organisation=personas.organisation,
            subject="X",
            summary="Y",
            language="en",
        )


def test_summary_is_required(personas):
    with pytest.raises(ValidationError) as caught:
        create_consultation(
            actor=personas.coordinator, organisation=personas.organisation, subject="Park", summary=" ", language="en"
        )
    assert "summary" in caught.value.message_dict
    assert not Consultation.objects.exists()


def test_adding_a_consultations_module_to_a_process_creates_its_consultation(personas):
    from veche.participation.tests.factories import ProcessFactory

    process = ProcessFactory(organisation=personas.organisation)
    module = add_module(actor=personas.coordinator, process=process, module_type="consultation")
    assert Consultation.objects.get(module=module).organisation == personas.organisation


def test_participant_for_user_is_created_once(personas):
    consultation = consultation_in(personas.organisation)
    first = participant_for_user(user=personas.resident, consultation=consultation)
    again = participant_for_user(user=personas.resident, consultation=consultation)
    assert first == again
    assert Participant.objects.filter(consultation=consultation).count() == 1


def test_current_participant_reads_the_account_or_the_session(personas, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    from veche.consultations.services.participants import remember_participant

    consultation = consultation_in(personas.organisation)
    request = rf.get("/")
    request.user, request.session = AnonymousUser(), SessionStore()
    assert current_participant(request, consultation) is None
    anonymous = Participant.objects.create(consultation=consultation, email="a@example.org")
    remember_participant(request, anonymous)
    assert current_participant(request, consultation) == anonymous
    other = consultation_in(personas.organisation)
    assert current_participant(request, other) is None


def test_visible_to_agrees_with_the_view_rule(personas):
    published = consultation_in(personas.organisation)
    draft = consultation_in(personas.organisation, published=False)
    other_draft = consultation_in(personas.other_organisation, published=False)
    for name in ("anonymous", "resident", "member", "moderator", "coordinator", "other_administrator", "superuser"):
        user = personas.get(name)
        visible = set(Consultation.objects.visible_to(user))
        for consultation in (published, draft, other_draft):
            fresh = Consultation.objects.with_timeline().get(pk=consultation.pk)
            assert (fresh in visible) == user.has_perm("consultations.view_consultation", fresh), (name, consultation)


def test_answerable_contributions_exclude_replies(personas):
    consultation = consultation_in(personas.organisation)
    comment = contribution(consultation)
    contribution(consultation, kind=ContributionKind.REPLY, parent=comment, text="Agreed")
    assert list(Contribution.objects.answerable()) == [comment]


def test_consultation_page_shows_summary_and_timeline_for_the_public(client, personas):
    consultation = consultation_in(personas.organisation, subject="Riverside park")
    response = client.get(consultation.get_absolute_url())
    assert response.status_code == 200
    assert b"Riverside park" in response.content
    assert consultation.summary.encode() in response.content


def test_draft_consultation_is_404_for_the_public_and_shown_to_staff(client, personas):
    draft = consultation_in(personas.organisation, published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(personas.moderator)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_consultation_page_query_count_does_not_grow_with_the_document(client, personas, django_assert_max_num_queries):
    consultation = consultation_in(personas.organisation)
    url = reverse("consultations:detail", args=[personas.organisation.slug, consultation.slug])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    document_for(consultation, sections=10, paragraphs=30)
    for _ in range(50):
        contribution(consultation)
    with CaptureQueriesContext(connection) as big:
        client.get(url)
    assert len(big) == len(small)
