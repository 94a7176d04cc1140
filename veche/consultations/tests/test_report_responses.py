"""Official responses and themes: services (rules, validation, themes answering their members, bulk), the work
queue and response pages (filters, bulk actions, a fixed number of queries)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veche.audit.models import AuditEntry
from veche.consultations.choices import Channel, ContributionKind, ContributionStatus
from veche.consultations.models import OfficialResponse, ResponseOutcome, Theme, ThemeMember
from veche.consultations.querysets_report import response_progress, unanswered
from veche.consultations.services import responses as services
from veche.consultations.tests.factories import consultation_in, contribution, document_for

pytestmark = pytest.mark.django_db

ACCEPTED = ResponseOutcome.ACCEPTED


@pytest.fixture
def closed(personas):
    return consultation_in(personas.organisation, phase="analysis")


def test_coordinator_answers_a_contribution_and_can_change_it(personas, closed):
    item = contribution(closed)
    response = services.respond(
        actor=personas.coordinator, contribution=item, outcome=ACCEPTED, justification="  We plant 40 trees. "
    )
    assert (response.outcome, response.justification, response.consultation) == (ACCEPTED, "We plant 40 trees.", closed)
    again = services.respond(
        actor=personas.coordinator, contribution=item, outcome=ResponseOutcome.PARTLY, justification="20 trees."
    )
    assert again.pk == response.pk and OfficialResponse.objects.count() == 1
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["consultations.response_given", "consultations.response_changed"]


@pytest.mark.parametrize(
    ("outcome", "justification", "field"),
    [("", "Because.", "outcome"), ("maybe", "Because.", "outcome"), (ACCEPTED, "   ", "justification")],
)
def test_a_response_needs_an_outcome_and_a_justification(personas, closed, outcome, justification, field):
    with pytest.raises(ValidationError) as caught:
        services.respond(
            actor=personas.coordinator, contribution=contribution(closed), outcome=outcome, justification=justification
        )
    assert field in caught.value.message_dict
    assert not OfficialResponse.objects.exists()


def test_justification_has_a_length_limit(personas, closed):
    with pytest.raises(ValidationError):
        services.respond(
            actor=personas.coordinator, contribution=contribution(closed), outcome=ACCEPTED, justification="x" * 5001
        )


@pytest.mark.parametrize("phase", ["announcement", "open"])
def test_no_responses_before_closing(personas, phase):
    consultation = consultation_in(personas.organisation, phase=phase)
    with pytest.raises(PermissionDenied):
        services.respond(
            actor=personas.coordinator, contribution=contribution(consultation), outcome=ACCEPTED, justification="Ok"
        )


def test_no_responses_after_the_report_is_published(personas, closed):
    from django.utils import timezone

    item = contribution(closed)
    closed.report_published_at = timezone.now()
    closed.save(update_fields=["report_published_at"])
    with pytest.raises(PermissionDenied):
        services.respond(actor=personas.coordinator, contribution=item, outcome=ACCEPTED, justification="Ok")


def test_finished_consultation_without_report_can_still_be_answered(personas):
    consultation = consultation_in(personas.organisation, phase="finished")
    response = services.respond(
        actor=personas.coordinator, contribution=contribution(consultation), outcome=ACCEPTED, justification="Ok"
    )
    assert response.pk


@pytest.mark.parametrize("persona", ["anonymous", "resident", "member", "expert", "moderator", "other_administrator"])
def test_only_coordinators_respond(personas, closed, persona):
    with pytest.raises(PermissionDenied):
        services.respond(
            actor=personas.get(persona), contribution=contribution(closed), outcome=ACCEPTED, justification="Ok"
        )


def test_replies_and_hidden_contributions_get_no_response(personas, closed):
    parent = contribution(closed)
    reply = contribution(closed, kind=ContributionKind.REPLY, parent=parent)
    hidden = contribution(closed, status=ContributionStatus.HIDDEN, moderation_reason="Insults")
    for item in (reply, hidden):
        with pytest.raises(ValidationError):
            services.respond(actor=personas.coordinator, contribution=item, outcome=ACCEPTED, justification="Ok")
    assert response_progress(closed) == (0, 1)


def test_a_themes_response_answers_its_members_and_an_own_response_wins(personas, closed):
    first, second, outside = contribution(closed), contribution(closed), contribution(closed)
    theme = services.create_theme(actor=personas.coordinator, consultation=closed, title="Trees")
    assert (
        services.assign_to_theme(
            actor=personas.coordinator, theme=theme, contributions=[first, second], consultation=closed
        )
        == 2
    )
    assert response_progress(closed) == (0, 3)
    theme_response = services.respond_to_theme(
        actor=personas.coordinator, theme=theme, outcome=ResponseOutcome.PARTLY, justification="Some trees."
    )
    assert response_progress(closed) == (2, 3)
    assert list(unanswered(closed)) == [outside]
    own = services.respond(
        actor=personas.coordinator, contribution=second, outcome=ResponseOutcome.NOT_ACCEPTED, justification="No."
    )
    from veche.consultations.querysets_report import with_responses

    rows = {item.pk: item for item in with_responses(closed.contributions.all())}
    assert services.effective_response(rows[first.pk]) == theme_response
    assert services.effective_response(rows[second.pk]) == own
    assert services.effective_response(rows[outside.pk]) is None


def test_moving_to_another_theme_and_out_of_themes(personas, closed):
    item = contribution(closed)
    trees = services.create_theme(actor=personas.coordinator, consultation=closed, title="Trees")
    benches = services.create_theme(actor=personas.coordinator, consultation=closed, title="Benches")
    services.assign_to_theme(actor=personas.coordinator, theme=trees, contributions=[item], consultation=closed)
    services.assign_to_theme(actor=personas.coordinator, theme=benches, contributions=[item], consultation=closed)
    assert ThemeMember.objects.get(contribution=item).theme == benches
    services.assign_to_theme(actor=personas.coordinator, theme=None, contributions=[item], consultation=closed)
    assert not ThemeMember.objects.exists()


def test_theme_titles_are_unique_per_consultation(personas, closed):
    services.create_theme(actor=personas.coordinator, consultation=closed, title="Trees")
    with pytest.raises(ValidationError) as caught:
        services.create_theme(actor=personas.coordinator, consultation=closed, title=" trees ")
    assert "title" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.create_theme(actor=personas.coordinator, consultation=closed, title="  ")


def test_contributions_of_another_consultation_are_not_assigned(personas, closed):
    other = consultation_in(personas.organisation, phase="analysis")
    theme = services.create_theme(actor=personas.coordinator, consultation=closed, title="Trees")
    moved = services.assign_to_theme(
        actor=personas.coordinator, theme=theme, contributions=[contribution(other)], consultation=closed
    )
    assert moved == 0
    foreign = services.create_theme(actor=personas.coordinator, consultation=other, title="Other")
    with pytest.raises(ValidationError):
        services.assign_to_theme(actor=personas.coordinator, theme=foreign, contributions=[], consultation=closed)


def test_deleting_a_theme_leaves_its_members_unanswered(personas, closed):
    item = contribution(closed)
    theme = services.create_theme(actor=personas.coordinator, consultation=closed, title="Trees")
    services.assign_to_theme(actor=personas.coordinator, theme=theme, contributions=[item], consultation=closed)
    services.respond_to_theme(actor=personas.coordinator, theme=theme, outcome=ACCEPTED, justification="Yes")
    services.delete_theme(actor=personas.coordinator, theme=theme)
    assert list(unanswered(closed)) == [item]
    assert not OfficialResponse.objects.exists()


def test_answer_many_at_once_refuses_what_cannot_be_answered(personas, closed):
    items = [contribution(closed) for _ in range(3)]
    hidden = contribution(closed, status=ContributionStatus.HIDDEN)
    outcome = services.respond_many(
        actor=personas.coordinator,
        consultation=closed,
        contributions=[*items, hidden],
        outcome=ResponseOutcome.OUT_OF_SCOPE,
        justification="The town does not decide this.",
    )
    assert len(outcome.answered) == 3
    assert [item for item, _reason in outcome.refused] == [hidden]
    assert response_progress(closed) == (3, 3)


def test_remove_response(personas, closed):
    item = contribution(closed)
    response = services.respond(actor=personas.coordinator, contribution=item, outcome=ACCEPTED, justification="Y")
    services.remove_response(actor=personas.coordinator, response=response)
    assert response_progress(closed) == (0, 1)


# --- pages --------------------------------------------------------------------------------------------------------


def _queue(consultation):
    return reverse("consultations:responses", args=[consultation.organisation.slug, consultation.slug])


def test_queue_is_for_staff(client, personas, closed):
    url = _queue(closed)
    assert client.get(url).status_code == 302
    client.force_login(personas.resident)
    assert client.get(url).status_code == 403
    client.force_login(personas.other_administrator)
    assert client.get(url).status_code == 403
    client.force_login(personas.moderator)
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["can_respond"]


def test_queue_shows_unanswered_first_with_progress(client, personas, closed):
    answered = contribution(closed, text="Answered one")
    waiting = contribution(closed, text="Waiting one")
    services.respond(actor=personas.coordinator, contribution=answered, outcome=ACCEPTED, justification="Y")
    client.force_login(personas.coordinator)
    response = client.get(_queue(closed))
    assert [row["contribution"] for row in response.context["rows"]] == [waiting, answered]
    assert "1 of 2 answered" in response.content.decode()


def test_queue_filters(client, personas, closed):
    document = document_for(closed, sections=2, paragraphs=1)
    first, second = document.paragraphs.order_by("number")
    on_first = contribution(closed, paragraph=first, text="About part one")
    on_second = contribution(closed, paragraph=second, kind=ContributionKind.WORDING, text="New wording")
    offline = contribution(closed, kind=ContributionKind.OFFLINE, channel=Channel.MEETING, text="At the meeting")
    theme = services.create_theme(actor=personas.coordinator, consultation=closed, title="Trees")
    services.assign_to_theme(actor=personas.coordinator, theme=theme, contributions=[on_first], consultation=closed)
    client.force_login(personas.coordinator)

    def shown(**query):
        return {row["contribution"] for row in client.get(_queue(closed), query).context["rows"]}

    assert shown(kind="wording") == {on_second}
    assert shown(channel="meeting") == {offline}
    assert shown(section=str(first.section_id)) == {on_first}
    assert shown(theme=str(theme.pk)) == {on_first}
    assert shown(theme="none") == {on_second, offline}
    assert shown(q="meeting") == {offline}
    assert shown(state="unanswered") == {on_first, on_second, offline}
    assert shown(state="answered") == set()
    assert shown(kind="nonsense") == {on_first, on_second, offline}  # invalid filters are ignored


def test_queue_query_count_does_not_grow(client, personas, closed):
    document = document_for(closed, sections=2, paragraphs=2)
    paragraph = document.paragraphs.first()
    theme = services.create_theme(actor=personas.coordinator, consultation=closed, title="Trees")
    first = contribution(closed, paragraph=paragraph)
    services.assign_to_theme(actor=personas.coordinator, theme=theme, contributions=[first], consultation=closed)
    client.force_login(personas.coordinator)
    url = _queue(closed)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    items = [contribution(closed, paragraph=paragraph) for _ in range(30)]
    services.assign_to_theme(actor=personas.coordinator, theme=theme, contributions=items[:10], consultation=closed)
    services.respond_many(
        actor=personas.coordinator, consultation=closed, contributions=items[10:20], outcome=ACCEPTED, justification="Y"
    )
    services.respond_to_theme(actor=personas.coordinator, theme=theme, outcome=ACCEPTED, justification="Y")
    with CaptureQueriesContext(connection) as big:
        client.get(url)
    assert len(big) == len(small)


def test_bulk_answer_from_the_queue(client, personas, closed):
    items = [contribution(closed) for _ in range(3)]
    client.force_login(personas.coordinator)
    response = client.post(
        _queue(closed),
        {
            "contributions": [items[0].pk, items[1].pk],
            "action": "answer",
            "outcome": ResponseOutcome.NOT_ACCEPTED,
            "justification": "Too expensive.",
        },
    )
    assert response.status_code == 302
    assert response_progress(closed) == (2, 3)


def test_bulk_answer_needs_a_justification(client, personas, closed):
    item = contribution(closed)
    client.force_login(personas.coordinator)
    response = client.post(
        _queue(closed), {"contributions": [item.pk], "action": "answer", "outcome": ACCEPTED, "justification": ""}
    )
    assert response.status_code == 200
    assert response.context["bulk"].errors["justification"]
    assert response_progress(closed) == (0, 1)


def test_bulk_assign_to_a_new_theme(client, personas, closed):
    items = [contribution(closed) for _ in range(2)]
    client.force_login(personas.coordinator)
    response = client.post(
        _queue(closed), {"contributions": [item.pk for item in items], "action": "theme", "new_theme": "Benches"}
    )
    assert response.status_code == 302
    theme = Theme.objects.get(consultation=closed)
    assert theme.title == "Benches" and theme.members.count() == 2


def test_moderator_cannot_post_to_the_queue(client, personas, closed):
    item = contribution(closed)
    client.force_login(personas.moderator)
    response = client.post(
        _queue(closed), {"contributions": [item.pk], "action": "answer", "outcome": ACCEPTED, "justification": "Y"}
    )
    assert response.status_code == 403


def test_answer_one_contribution_then_go_to_the_next(client, personas, closed):
    first, second = contribution(closed), contribution(closed)
    client.force_login(personas.coordinator)
    url = reverse("consultations:respond", args=[closed.organisation.slug, closed.slug, first.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"outcome": ACCEPTED, "justification": "We agree."})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/responses/{second.pk}/")
    assert OfficialResponse.objects.get(contribution=first).justification == "We agree."


def test_respond_page_of_another_consultations_contribution_is_404(client, personas, closed):
    other = consultation_in(personas.organisation, phase="analysis")
    item = contribution(other)
    client.force_login(personas.coordinator)
    url = reverse("consultations:respond", args=[closed.organisation.slug, closed.slug, item.pk])
    assert client.get(url).status_code == 404


def test_theme_pages(client, personas, closed):
    item = contribution(closed)
    client.force_login(personas.coordinator)
    themes_url = reverse("consultations:themes", args=[closed.organisation.slug, closed.slug])
    response = client.post(themes_url, {"title": "Trees", "description": "More shade"})
    theme = Theme.objects.get()
    assert response.status_code == 302
    services.assign_to_theme(actor=personas.coordinator, theme=theme, contributions=[item], consultation=closed)
    theme_url = reverse("consultations:theme", args=[closed.organisation.slug, closed.slug, theme.pk])
    response = client.post(theme_url, {"action": "respond", "outcome": ACCEPTED, "justification": "Planting."})
    assert response.status_code == 302
    assert response_progress(closed) == (1, 1)
    response = client.get(theme_url)
    assert b"Planting." in response.content
    assert client.get(themes_url).status_code == 200
    client.post(theme_url, {"action": "edit", "title": "Shade", "description": ""})
    theme.refresh_from_db()
    assert theme.title == "Shade"
    client.post(theme_url, {"action": "delete"})
    assert not Theme.objects.exists()


def test_superusers_too_are_refused_outside_the_responding_time(personas):
    consultation = consultation_in(personas.organisation, phase="open")
    with pytest.raises(ValidationError):
        services.respond(
            actor=personas.superuser, contribution=contribution(consultation), outcome=ACCEPTED, justification="Ok"
        )


def test_consultation_page_links_staff_to_the_responses(client, personas, closed):
    contribution(closed)
    assert b"0 of 1 answered" not in client.get(closed.get_absolute_url()).content
    client.force_login(personas.coordinator)
    content = client.get(closed.get_absolute_url()).content.decode()
    assert "0 of 1 answered" in content
    assert _queue(closed) in content
