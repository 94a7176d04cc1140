"""The office's pages through the test client, by persona: the review queue (filters, search, order, bulk decisions,
query counts), the decision page, appeals (lodge, decide) and the public decision history on the proposal page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from veche.budgeting.choices import AppealOutcome, ProposalStatus
from veche.budgeting.models import Appeal, Proposal, ReviewDecision, Signature
from veche.budgeting.tests.factories import CategoryFactory, ProposalFactory, make_edition, schedule
from veche.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
S = ProposalStatus
NOW = dt.datetime(2027, 4, 1, 12, 0, tzinfo=dt.UTC)


def url(name: str, edition, number: int | None = None) -> str:
    kwargs = {"edition_id": edition.pk}
    if number is not None:
        kwargs["number"] = number
    return reverse(f"budgeting:{name}", kwargs=kwargs)


def signed_in(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


@pytest.fixture
def edition(personas):
    return make_edition(phase="verification", organisation=personas.organisation, pools=2)


def submitted(edition, *, days_ago: int = 1, **kwargs) -> Proposal:
    kwargs.setdefault("status", S.SUBMITTED)
    return ProposalFactory(edition=edition, submitted_at=timezone.now() - dt.timedelta(days=days_ago), **kwargs)


# --- the queue ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("resident", 403),
        ("member", 403),
        ("moderator", 403),
        ("other_administrator", 403),
        ("expert", 200),
        ("coordinator", 200),
        ("administrator", 200),
        ("superuser", 200),
    ],
)
def test_queue_by_persona(client, personas, edition, persona, status):
    submitted(edition, title="Benches by the river")
    response = signed_in(client, personas.get(persona)).get(url("review_queue", edition))
    assert response.status_code == status
    if status == 200:
        assert "Benches by the river" in response.content.decode()


def test_queue_sends_anonymous_visitors_to_sign_in(client, edition):
    response = client.get(url("review_queue", edition))
    assert response.status_code == 302 and "login" in response["Location"]


def test_queue_of_an_unpublished_process_is_a_404_for_outsiders(client, personas, edition):
    edition.module.process.is_published = False
    edition.module.process.save()
    assert signed_in(client, personas.other_administrator).get(url("review_queue", edition)).status_code == 404
    assert signed_in(client, personas.expert).get(url("review_queue", edition)).status_code == 200


def test_queue_lists_oldest_first_with_age_and_hides_drafts(client, personas, edition):
    submitted(edition, title="Middle one", days_ago=5)
    submitted(edition, title="Oldest one", days_ago=20)
    submitted(edition, title="Newest one", days_ago=1)
    ProposalFactory(edition=edition, status=S.DRAFT, title="Secret draft")
    ProposalFactory(edition=edition, status=S.WITHDRAWN, title="Gone away")
    page = signed_in(client, personas.expert).get(url("review_queue", edition)).content.decode()
    assert page.index("Oldest one") < page.index("Middle one") < page.index("Newest one")
    assert "Secret draft" not in page and "Gone away" not in page
    assert "2\xa0weeks" in page and "3 proposals" in page


def test_queue_filters_and_search(client, personas, edition):
    second_pool = edition.pools.get(name="District 1")
    parks = CategoryFactory(edition=edition, name="Parks")
    submitted(edition, title="Alpha swings", category=parks)
    submitted(edition, title="Bravo lights", pool=second_pool, status=S.UNDER_REVIEW)
    charlie = submitted(
        edition, title="Charlie path", status=S.REJECTED, verified_cost=Decimal(20_000), cost_estimate=Decimal(10_000)
    )
    Appeal.objects.create(proposal=charlie, text="Please.", author=UserFactory())
    submitted(edition, title="Delta fountain", status=S.ACCEPTED, verified_cost=Decimal(10_000))
    client = signed_in(client, personas.expert)

    def titles(**query) -> set[str]:
        page = client.get(url("review_queue", edition), query).content.decode()
        return {name for name in ("Alpha", "Bravo", "Charlie", "Delta") if f"{name} " in page}

    assert titles() == {"Alpha", "Bravo", "Charlie", "Delta"}
    assert titles(status=S.UNDER_REVIEW) == {"Bravo"}
    assert titles(pool=second_pool.pk) == {"Bravo"}
    assert titles(category=parks.pk) == {"Alpha"}
    assert titles(appeal="pending") == {"Charlie"}
    assert titles(appeal="none") == {"Alpha", "Bravo", "Delta"}
    assert titles(cost="differs") == {"Charlie"}
    assert titles(cost="verified") == {"Charlie", "Delta"}
    assert titles(q="lights") == {"Bravo"}
    assert titles(q=f"#{charlie.number}") == {"Charlie"}
    # A bad value is reported, not a server error, and filters nothing.
    response = client.get(url("review_queue", edition), {"status": "bogus"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_queue_query_count_does_not_grow_with_the_rows(client, personas, edition, django_assert_max_num_queries):
    client = signed_in(client, personas.expert)
    parks = CategoryFactory(edition=edition, name="Parks")
    submitted(edition, category=parks)
    client.get(url("review_queue", edition))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url("review_queue", edition)).status_code == 200
    for index in range(12):
        proposal = submitted(edition, category=parks, days_ago=index + 2, status=S.REJECTED)
        Appeal.objects.create(proposal=proposal, text="Please.", author=UserFactory())
        Signature.objects.create(proposal=proposal, user=UserFactory())
    with CaptureQueriesContext(connection) as many:
        page = client.get(url("review_queue", edition)).content.decode()
    assert "13 proposals" in page
    assert len(many) == len(one)


def test_queue_paginates(client, personas, edition):
    for index in range(30):
        submitted(edition, title=f"Item {index:02d}", days_ago=100 - index)
    client = signed_in(client, personas.expert)
    first = client.get(url("review_queue", edition)).content.decode()
    second = client.get(url("review_queue", edition), {"page": 2}).content.decode()
    assert "Item 00" in first and "Item 29" not in first
    assert "Item 29" in second and "Item 00" not in second


# --- bulk decisions -------------------------------------------------------------------------------------------
def test_bulk_start_of_review(client, personas, edition):
    proposals = [submitted(edition) for _ in range(3)]
    response = signed_in(client, personas.expert).post(
        url("review_queue", edition) + "?status=submitted",
        {"proposals": [p.pk for p in proposals[:2]], "to_status": S.UNDER_REVIEW, "justification": ""},
    )
    assert response.status_code == 302 and response["Location"].endswith("?status=submitted")
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert [statuses[p.pk] for p in proposals] == [S.UNDER_REVIEW, S.UNDER_REVIEW, S.SUBMITTED]
    assert ReviewDecision.objects.count() == 2
    assert "2 proposals decided." in client.get(response["Location"]).content.decode()


def test_bulk_acceptance_needs_a_justification_and_reports_what_could_not_be_done(client, personas, edition):
    ready = [submitted(edition, status=S.UNDER_REVIEW) for _ in range(2)]
    early = submitted(edition, title="Too early")
    client = signed_in(client, personas.coordinator)
    data = {"proposals": [p.pk for p in [*ready, early]], "to_status": S.ACCEPTED, "justification": ""}
    response = client.post(url("review_queue", edition), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Write a public justification to accept or reject proposals." in page
    assert page.count("checked") >= 3  # the selection is kept
    assert not ReviewDecision.objects.exists()
    data["justification"] = "All feasible."
    response = client.post(url("review_queue", edition), data, follow=True)
    page = response.content.decode()
    assert "2 proposals decided." in page and "“Too early” was left as it was" in page
    assert ReviewDecision.objects.filter(justification="All feasible.", to_status=S.ACCEPTED).count() == 2


def test_bulk_needs_a_selection(client, personas, edition):
    submitted(edition)
    response = signed_in(client, personas.expert).post(
        url("review_queue", edition), {"to_status": S.UNDER_REVIEW, "justification": ""}
    )
    assert response.status_code == 200 and "Select at least one proposal in the list." in response.content.decode()


def test_bulk_decisions_are_closed_outside_the_review_phases(client, personas, edition):
    proposal = submitted(edition)
    schedule(edition, "voting")
    client = signed_in(client, personas.expert)
    page = client.get(url("review_queue", edition)).content.decode()
    assert "Decisions are possible during the verification and appeals phases." in page
    assert 'name="proposals"' not in page
    response = client.post(url("review_queue", edition), {"proposals": [proposal.pk], "to_status": S.UNDER_REVIEW})
    assert response.status_code == 403 and not ReviewDecision.objects.exists()


def test_bulk_is_refused_to_non_reviewers(client, personas, edition):
    proposal = submitted(edition)
    response = signed_in(client, personas.moderator).post(
        url("review_queue", edition), {"proposals": [proposal.pk], "to_status": S.UNDER_REVIEW}
    )
    assert response.status_code == 403 and not ReviewDecision.objects.exists()


# --- the decision page ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("resident", 403), ("moderator", 403), ("expert", 200), ("coordinator", 200)],
)
def test_decision_page_by_persona(client, personas, edition, persona, status):
    proposal = submitted(edition, title="Riverside benches")
    response = signed_in(client, personas.get(persona)).get(url("review_proposal", edition, proposal.number))
    assert response.status_code == status


def test_decision_page_offers_only_valid_steps_and_records_the_decision(client, personas, edition):
    proposal = submitted(edition, status=S.UNDER_REVIEW, cost_estimate=Decimal(8_000))
    client = signed_in(client, personas.expert)
    page = client.get(url("review_proposal", edition, proposal.number)).content.decode()
    assert 'value="accepted"' in page and 'value="needs_changes"' in page and 'value="submitted"' not in page
    response = client.post(
        url("review_proposal", edition, proposal.number),
        {"to_status": S.ACCEPTED, "justification": "Feasible; lighting adds 1,000.", "verified_cost": "9000"},
    )
    assert response.status_code == 302 and response["Location"] == url("review_queue", edition)
    proposal.refresh_from_db()
    assert proposal.status == S.ACCEPTED and proposal.verified_cost == Decimal(9_000)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Feasible; lighting adds 1,000." in page and "9,000.00" in page and "8,000.00" in page


def test_decision_page_explains_errors(client, personas, edition):
    proposal = submitted(edition, status=S.UNDER_REVIEW)
    client = signed_in(client, personas.expert)
    target = url("review_proposal", edition, proposal.number)
    page = client.post(target, {"to_status": S.REJECTED, "justification": ""}).content.decode()
    assert "Write a public justification: the author and everyone else will read it." in page
    page = client.post(target, {"to_status": S.NEEDS_CHANGES, "justification": "x", "verified_cost": "-1"}).content
    assert b"greater than or equal to 0" in page
    page = client.post(target, {"to_status": S.SUBMITTED, "justification": "x"}).content.decode()
    assert "Select a valid choice" in page
    page = client.post(target, {"to_status": S.ACCEPTED, "justification": "x", "verified_cost": "500000"}).content
    assert b"more than the whole pool" in page
    assert not ReviewDecision.objects.exists()


def test_decision_page_on_a_final_status_says_so(client, personas, edition):
    proposal = submitted(edition, status=S.ACCEPTED)
    page = signed_in(client, personas.expert).get(url("review_proposal", edition, proposal.number)).content.decode()
    assert "takes no further decision from the office" in page and '<form method="post" class="form"' not in page


def test_reviewers_cannot_open_the_decision_page_of_their_own_proposal(client, personas, edition):
    proposal = submitted(edition, author=personas.expert)
    response = signed_in(client, personas.expert).get(url("review_proposal", edition, proposal.number))
    assert response.status_code == 403


def test_drafts_are_a_404_even_for_reviewers(client, personas, edition):
    proposal = ProposalFactory(edition=edition, status=S.DRAFT, author=personas.resident)
    response = signed_in(client, personas.coordinator).get(url("review_proposal", edition, proposal.number))
    assert response.status_code == 404


# --- appeals --------------------------------------------------------------------------------------------------
@pytest.fixture
def rejected(personas):
    edition = make_edition(phase="appeals", organisation=personas.organisation)
    schedule(edition, "appeals", now=NOW)
    proposal = ProposalFactory(edition=edition, status=S.REJECTED, author=personas.resident, title="Dog park")
    ReviewDecision.objects.create(
        proposal=proposal, from_status=S.UNDER_REVIEW, to_status=S.REJECTED, justification="Not city land."
    )
    return proposal


def test_the_author_lodges_an_appeal_and_it_is_public(client, personas, rejected):
    edition = rejected.edition
    with time_machine.travel(NOW, tick=False):
        client = signed_in(client, personas.resident)
        detail = client.get(rejected.get_absolute_url()).content.decode()
        assert url("appeal", edition, rejected.number) in detail
        page = client.get(url("appeal", edition, rejected.number)).content.decode()
        assert "Not city land." in page
        empty = client.post(url("appeal", edition, rejected.number), {"text": ""})
        assert empty.status_code == 200 and not Appeal.objects.exists()
        response = client.post(url("appeal", edition, rejected.number), {"text": "It is city land: plot 12/3."})
        assert response.status_code == 302 and response["Location"] == rejected.get_absolute_url()
        again = client.get(url("appeal", edition, rejected.number))
        assert again.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.text == "It is city land: plot 12/3." and appeal.author == personas.resident
    public = client.logout() or client.get(rejected.get_absolute_url()).content.decode()
    assert "It is city land: plot 12/3." in public and "Awaiting decision" in public


@pytest.mark.parametrize("persona", ["member", "expert", "coordinator"])
def test_only_authors_appeal(client, personas, rejected, persona):
    with time_machine.travel(NOW, tick=False):
        response = signed_in(client, personas.get(persona)).get(url("appeal", rejected.edition, rejected.number))
    assert response.status_code == 403


def test_no_appeal_after_the_appeals_phase(client, personas, rejected):
    with time_machine.travel(NOW + dt.timedelta(days=6), tick=False):
        response = signed_in(client, personas.resident).post(
            url("appeal", rejected.edition, rejected.number), {"text": "Late."}
        )
    assert response.status_code == 403 and not Appeal.objects.exists()


def test_a_reviewer_upholds_an_appeal(client, personas, rejected):
    Appeal.objects.create(proposal=rejected, author=personas.resident, text="It is city land.")
    edition = rejected.edition
    with time_machine.travel(NOW, tick=False):
        client = signed_in(client, personas.expert)
        page = client.get(url("decide_appeal", edition, rejected.number)).content.decode()
        assert "It is city land." in page
        missing = client.post(url("decide_appeal", edition, rejected.number), {"outcome": "upheld"})
        assert missing.status_code == 200 and not ReviewDecision.objects.filter(to_status=S.ACCEPTED).exists()
        response = client.post(
            url("decide_appeal", edition, rejected.number),
            {"outcome": AppealOutcome.UPHELD, "justification": "The land register agrees."},
        )
        assert response.status_code == 302
        again = client.get(url("decide_appeal", edition, rejected.number))
        assert again.status_code == 302
    rejected.refresh_from_db()
    assert rejected.status == S.ACCEPTED and Appeal.objects.get().outcome == AppealOutcome.UPHELD
    client.logout()
    public = client.get(rejected.get_absolute_url()).content.decode()
    assert "The land register agrees." in public and "Upheld" in public


def test_deciding_appeals_is_for_reviewers_and_needs_an_appeal(client, personas, rejected):
    edition = rejected.edition
    with time_machine.travel(NOW, tick=False):
        no_appeal = signed_in(client, personas.expert).get(url("decide_appeal", edition, rejected.number))
        assert no_appeal.status_code == 404
        Appeal.objects.create(proposal=rejected, author=personas.resident, text="Please.")
        client.logout()
        response = signed_in(client, personas.resident).post(
            url("decide_appeal", edition, rejected.number), {"outcome": "upheld", "justification": "I say so."}
        )
    assert response.status_code == 403
    assert Appeal.objects.get().outcome == AppealOutcome.PENDING


# --- the public partial ---------------------------------------------------------------------------------------
def test_proposal_page_shows_the_decision_history_to_everyone(client, personas, edition):
    proposal = submitted(edition, status=S.UNDER_REVIEW, cost_estimate=Decimal(5_000))
    ReviewDecision.objects.create(
        proposal=proposal, from_status=S.SUBMITTED, to_status=S.UNDER_REVIEW, justification=""
    )
    ReviewDecision.objects.create(
        proposal=proposal,
        from_status=S.UNDER_REVIEW,
        to_status=S.NEEDS_CHANGES,
        justification="Please add <b>a map</b>.",
        verified_cost=Decimal(6_000),
    )
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Verification by the office" in page
    assert "The office started reviewing the proposal." in page
    assert "Please add &lt;b&gt;a map&lt;/b&gt;." in page
    assert page.index("The office started reviewing") < page.index("Please add")
    assert url("review_proposal", edition, proposal.number) not in page
    staff_page = signed_in(client, personas.expert).get(proposal.get_absolute_url()).content.decode()
    assert url("review_proposal", edition, proposal.number) in staff_page
