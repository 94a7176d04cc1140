"""The voter-facing voting pages through the client: eligibility, the ballot with filters, review, cast, receipts,
voting codes and their rate limit, and the ballot page's query count."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from veche.budgeting.choices import BallotType, Eligibility, PoolKind, VoteChannel
from veche.budgeting.models import Ballot, ResidentEntry, VoterRecord, VotingCode
from veche.budgeting.services.voting import code_hash, resident_hash
from veche.budgeting.tests.factories import CategoryFactory, ProposalFactory, make_edition, schedule
from veche.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

CODE = "ABCD-EFGH-JKMN"


def vote_url(edition):
    return reverse("budgeting:vote", kwargs={"edition_id": edition.pk})


def pool_url(edition, pool):
    return reverse("budgeting:vote_pool", kwargs={"edition_id": edition.pk, "pool_id": pool.pk})


def done_url(edition, pool):
    return reverse("budgeting:vote_done", kwargs={"edition_id": edition.pk, "pool_id": pool.pk})


def receipt_url(edition):
    return reverse("budgeting:receipt", kwargs={"edition_id": edition.pk})


def code_url(edition):
    return reverse("budgeting:vote_with_code", kwargs={"edition_id": edition.pk})


def text_of(response) -> str:
    """The page's text without tags and entities, with whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def edition():
    """A knapsack edition in voting: a citywide pool of 100,000 and two districts, projects in two categories."""
    edition = make_edition(phase="voting", pools=3, ballot_type=BallotType.KNAPSACK)
    parks = CategoryFactory(edition=edition, name="Parks")
    roads = CategoryFactory(edition=edition, name="Roads")
    citywide = edition.pools.get(kind=PoolKind.CITYWIDE)
    ProposalFactory(
        edition=edition,
        pool=citywide,
        number=1,
        title="Trees in the park",
        category=parks,
        cost_estimate=Decimal(40_000),
        summary="Forty lindens",
        latitude=50.1,
        longitude=14.4,
    )
    ProposalFactory(
        edition=edition, pool=citywide, number=2, title="Náměstí benches", category=roads, cost_estimate=Decimal(30_000)
    )
    ProposalFactory(
        edition=edition, pool=citywide, number=3, title="Cycle path", category=roads, cost_estimate=Decimal(70_000)
    )
    ProposalFactory(edition=edition, pool=citywide, number=4, title="Rejected idea", status="rejected")
    return edition


def projects(edition, *numbers):
    return [edition.proposals.get(number=number).pk for number in numbers]


def citywide(edition):
    return edition.pools.get(kind=PoolKind.CITYWIDE)


@pytest.fixture
def voter(client):
    user = UserFactory()
    client.force_login(user)
    return user


# The pools page and eligibility --------------------------------------------------------------------------------------


def test_anonymous_visitor_is_asked_to_sign_in_or_use_a_code(client, edition):
    edition.allow_voting_codes = True
    edition.save()
    response = client.get(vote_url(edition))
    assert response.status_code == 200
    assert "Sign in to vote" in text_of(response)
    assert code_url(edition) in response.content.decode()


def test_signed_in_voter_sees_citywide_and_district_pools(client, edition, voter):
    response = client.get(vote_url(edition))
    assert response.status_code == 200
    page = text_of(response)
    assert "Citywide projects" in page and "Your district" in page
    for pool in edition.pools.all():
        assert pool_url(edition, pool) in response.content.decode()


def test_unverified_account_is_told_to_confirm_the_email(client, edition):
    user = UserFactory(verified=False)
    user.save()
    client.force_login(user)
    response = client.get(vote_url(edition))
    assert response.status_code == 403
    assert "Confirm your email address" in text_of(response)
    assert client.get(pool_url(edition, citywide(edition))).status_code == 302


def test_residents_list_identifier_step(client, edition, voter):
    edition.eligibility = Eligibility.RESIDENTS
    edition.save()
    ResidentEntry.objects.create(edition=edition, identifier_hash=resident_hash(edition, "855101/1234"))

    response = client.get(vote_url(edition))
    assert response.status_code == 200
    assert 'name="resident_identifier"' in response.content.decode()
    assert client.get(pool_url(edition, citywide(edition))).url == vote_url(edition)

    response = client.post(vote_url(edition), {"resident_identifier": "999999/0000"})
    assert response.status_code == 200
    assert "not on the residents' list" in text_of(response)
    assert 'aria-invalid="true"' in response.content.decode()

    response = client.post(vote_url(edition), {"resident_identifier": "8551011234"})
    assert response.status_code == 302
    response = client.get(vote_url(edition))
    assert "Citywide projects" in text_of(response)

    client.post(pool_url(edition, citywide(edition)), {"action": "cast", "project": projects(edition, 1)})
    assert VoterRecord.objects.get().voter_key == f"r:{resident_hash(edition, '8551011234')}"


def test_residents_identifier_kept_in_session_is_not_someone_elses(client, edition, voter):
    edition.eligibility = Eligibility.RESIDENTS
    edition.save()
    ResidentEntry.objects.create(edition=edition, identifier_hash=resident_hash(edition, "1"))
    client.post(vote_url(edition), {"resident_identifier": "1"})
    session = client.session
    entry = session["budgeting.voters"][str(edition.pk)]
    entry["user"] = voter.pk + 1000
    session["budgeting.voters"] = {str(edition.pk): entry}
    session.save()
    assert 'name="resident_identifier"' in client.get(vote_url(edition)).content.decode()


def test_minimum_age_asks_for_a_birth_date(client, edition, voter):
    edition.eligibility = Eligibility.MINIMUM_AGE
    edition.minimum_age = 16
    edition.save()
    response = client.get(vote_url(edition))
    assert 'name="birth_date"' in response.content.decode()

    today = timezone.localdate()
    too_young = today.replace(year=today.year - 10).isoformat()
    response = client.post(vote_url(edition), {"birth_date": too_young})
    assert response.status_code == 200
    assert "Only people aged at least 16" in text_of(response)

    response = client.post(vote_url(edition), {"birth_date": today.replace(year=today.year + 1).isoformat()})
    assert "cannot be in the future" in text_of(response)

    response = client.post(vote_url(edition), {"birth_date": "1980-05-01"})
    assert response.status_code == 302
    assert "Citywide projects" in text_of(client.get(vote_url(edition)))


def test_closed_phase_shows_when_and_refuses_to_cast(client, edition, voter):
    pool = citywide(edition)
    schedule(edition, "results")
    response = client.get(vote_url(edition))
    assert response.status_code == 200
    assert "Voting is not open" in text_of(response)
    assert "is now closed" in text_of(response)
    response = client.post(pool_url(edition, pool), {"action": "cast", "project": projects(edition, 1)})
    assert response.status_code == 403
    assert not Ballot.objects.exists()

    schedule(edition, "appeals")
    assert "opens on" in text_of(client.get(pool_url(edition, pool)))


def test_hidden_edition_is_404(client, edition, voter):
    process = edition.module.process
    process.is_published = False
    process.save()
    assert client.get(vote_url(edition)).status_code == 404
    assert client.get(receipt_url(edition)).status_code == 404


def test_pool_of_another_edition_is_404(client, edition, voter):
    other = make_edition(phase="voting")
    assert client.get(pool_url(edition, other.pools.get())).status_code == 404
    assert client.post(pool_url(edition, other.pools.get()), {"action": "cast"}).status_code == 404


# The ballot page -----------------------------------------------------------------------------------------------------


def test_ballot_lists_projects_on_the_ballot_with_checkboxes_links_and_map(client, edition, voter):
    pool = citywide(edition)
    response = client.get(pool_url(edition, pool))
    assert response.status_code == 200
    html = response.content.decode()
    trees, benches, path = projects(edition, 1, 2, 3)
    for pk in (trees, benches, path):
        assert f'name="project" value="{pk}"' in html
    assert "Rejected idea" not in html
    assert reverse("budgeting:proposal", kwargs={"edition_id": edition.pk, "number": 1}) in html
    assert "40,000 CZK" in html and "Forty lindens" in html
    assert 'id="ballot-map-data"' in html and '"1. Trees in the park"' in html.split('id="ballot-map-data"')[1]
    assert "Spent 0 CZK of 100,000 CZK. Left: 100,000 CZK." in text_of(response)
    assert 'role="status"' in html
    assert "style=" not in html and "<script>" not in html


@pytest.mark.parametrize(
    ("ballot_type", "control"),
    [
        (BallotType.APPROVAL, 'type="checkbox" id="project-{pk}" name="project"'),
        (BallotType.CUMULATIVE, 'type="number" id="points-{pk}" name="points-{pk}"'),
        (BallotType.RANKING, 'type="number" id="rank-{pk}" name="rank-{pk}"'),
    ],
)
def test_the_control_follows_the_ballot_type(client, edition, voter, ballot_type, control):
    edition.ballot_type = ballot_type
    edition.max_choices = 2
    edition.points_per_voter = 10
    edition.save()
    response = client.get(pool_url(edition, citywide(edition)))
    (pk,) = projects(edition, 1)
    assert control.format(pk=pk) in response.content.decode()


def test_get_filters_hide_rows_server_side(client, edition, voter):
    pool = citywide(edition)
    parks = edition.categories.get(name="Parks")
    html = client.get(pool_url(edition, pool), {"category": parks.pk}).content.decode()
    trees, benches, _path = projects(edition, 1, 2, 3)
    assert re.search(rf'data-project="{trees}"[^>]*>', html).group(0).count("hidden") == 0
    assert "hidden" in re.search(rf'data-project="{benches}"[^>]*>', html).group(0)
    assert "Projects shown: 1 of 3." in text_of(client.get(pool_url(edition, pool), {"category": parks.pk}))
    # Accents do not matter: "namesti" finds "Náměstí".
    html = client.get(pool_url(edition, pool), {"q": "namesti"}).content.decode()
    assert "hidden" not in re.search(rf'data-project="{benches}"[^>]*>', html).group(0)
    assert "hidden" in re.search(rf'data-project="{trees}"[^>]*>', html).group(0)


def test_filter_without_javascript_keeps_the_selection(client, edition, voter):
    pool = citywide(edition)
    trees, benches, path = projects(edition, 1, 2, 3)
    response = client.post(pool_url(edition, pool), {"action": "filter", "q": "cycle", "project": [trees, benches]})
    assert response.status_code == 200
    html = response.content.decode()
    for pk in (trees, benches):
        row = re.search(rf'data-project="{pk}"[^>]*>', html).group(0)
        assert "hidden" in row
        assert re.search(rf'id="project-{pk}" name="project" value="{pk}" checked', html)
    assert "hidden" not in re.search(rf'data-project="{path}"[^>]*>', html).group(0)
    assert "Spent 70,000 CZK of 100,000 CZK" in text_of(response)
    assert not Ballot.objects.exists()

    response = client.post(pool_url(edition, pool), {"action": "clear", "q": "cycle", "project": [trees]})
    assert "Projects shown: 3 of 3." in text_of(response)
    assert f'value="{trees}" checked' in response.content.decode()


def test_only_my_choices_filter(client, edition, voter):
    trees, benches, _path = projects(edition, 1, 2, 3)
    response = client.post(
        pool_url(edition, citywide(edition)), {"action": "filter", "only_chosen": "on", "project": [trees]}
    )
    assert "Projects shown: 1 of 3." in text_of(response)


# Review and cast -----------------------------------------------------------------------------------------------------


def test_review_lists_the_choices_and_offers_to_cast(client, edition, voter):
    pool = citywide(edition)
    trees, benches, _path = projects(edition, 1, 2, 3)
    response = client.post(pool_url(edition, pool), {"action": "review", "project": [trees, benches]})
    assert response.status_code == 200
    page = text_of(response)
    assert "Review your vote" in page and "Trees in the park" in page and "Náměstí benches" in page
    assert "Total cost 70,000 CZK" in page
    html = response.content.decode()
    assert 'value="cast"' in html
    assert f'<input type="hidden" name="project" value="{trees}">' in html
    assert not Ballot.objects.exists()


def test_review_shows_the_services_problems_and_no_cast_button(client, edition, voter):
    pool = citywide(edition)
    response = client.post(pool_url(edition, pool), {"action": "review", "project": projects(edition, 1, 3)})
    page = text_of(response)
    assert "What needs changing" in page
    assert "Your choices cost 110,000 CZK, 10,000 CZK more than this pool's budget" in page
    html = response.content.decode()
    assert 'value="cast"' not in html
    assert "data-error-summary" in html and 'href="#change-choices"' in html

    response = client.post(pool_url(edition, pool), {"action": "review"})
    assert "Choose at least one project." in text_of(response)


def test_change_my_choices_goes_back_with_the_selection_and_problems(client, edition, voter):
    pool = citywide(edition)
    trees, _benches, path = projects(edition, 1, 2, 3)
    response = client.post(pool_url(edition, pool), {"action": "change", "project": [trees, path]})
    html = response.content.decode()
    assert f'value="{trees}" checked' in html and f'value="{path}" checked' in html
    assert "more than this pool&#x27;s budget" in html
    assert "ballot-meter--over" in html


def test_cast_creates_one_ballot_and_shows_the_receipt(client, edition, voter):
    pool = citywide(edition)
    trees, benches, _path = projects(edition, 1, 2, 3)
    response = client.post(pool_url(edition, pool), {"action": "cast", "project": [trees, benches]})
    assert response.status_code == 302
    assert response.url == done_url(edition, pool)
    ballot = Ballot.objects.get()
    assert ballot.projects == [trees, benches]
    assert ballot.channel == VoteChannel.ONLINE
    response = client.get(response.url)
    page = text_of(response)
    assert ballot.receipt in page
    assert "Thank you, your vote is in" in page and "Trees in the park" in page
    assert "secret ballot" not in page
    # The pools page now shows the pool as done.
    page = text_of(client.get(vote_url(edition)))
    assert "Done: you have voted here" in page


def test_secret_ballot_confirmation_explains_the_separation(client, edition, voter):
    edition.secret_ballot = True
    edition.save()
    pool = citywide(edition)
    response = client.post(pool_url(edition, pool), {"action": "cast", "project": projects(edition, 1)}, follow=True)
    assert "stored without your name" in text_of(response)
    assert Ballot.objects.get().voter_key == ""


def test_double_cast_makes_one_ballot_and_a_friendly_message(client, edition, voter):
    pool = citywide(edition)
    data = {"action": "cast", "project": projects(edition, 1)}
    first = client.post(pool_url(edition, pool), data)
    second = client.post(pool_url(edition, pool), data)
    assert first.status_code == second.status_code == 302
    assert second.url == done_url(edition, pool)
    assert Ballot.objects.count() == 1
    page = text_of(client.get(second.url))
    assert "You have already voted in this pool." in page
    assert Ballot.objects.get().receipt in page  # the first cast's receipt is still in this browser
    # Opening the ballot again sends the voter to the receipt too.
    assert client.get(pool_url(edition, pool)).url == done_url(edition, pool)


def test_second_district_is_not_offered(client, edition, voter):
    first, second = edition.pools.filter(kind=PoolKind.DISTRICT).order_by("weight")
    ProposalFactory(edition=edition, pool=first, number=10, title="District bench")
    client.post(pool_url(edition, first), {"action": "cast", "project": projects(edition, 10)})
    page = text_of(client.get(vote_url(edition)))
    assert "You voted in District 1" in page and "Not available: you voted in another district." in page
    response = client.get(pool_url(edition, second))
    assert response.url == vote_url(edition)


def test_cast_that_breaks_the_rules_shows_the_problem(client, edition, voter):
    response = client.post(pool_url(edition, citywide(edition)), {"action": "cast", "project": projects(edition, 1, 3)})
    assert response.status_code == 200
    assert "more than this pool's budget" in text_of(response)
    assert not Ballot.objects.exists()


def test_cumulative_ballot_carries_points(client, edition, voter):
    edition.ballot_type = BallotType.CUMULATIVE
    edition.points_per_voter = 10
    edition.save()
    pool = citywide(edition)
    trees, benches, path = projects(edition, 1, 2, 3)
    data = {f"points-{trees}": "6", f"points-{benches}": "4", f"points-{path}": "0"}
    response = client.post(pool_url(edition, pool), {"action": "review", **data})
    assert "Points given 10 of 10" in text_of(response)
    response = client.post(pool_url(edition, pool), {"action": "review", f"points-{trees}": "x"})
    assert "Type points as whole numbers" in text_of(response)
    client.post(pool_url(edition, pool), {"action": "cast", **data})
    ballot = Ballot.objects.get()
    assert (ballot.projects, ballot.points) == ([trees, benches], [6, 4])


def test_ranking_ballot_is_cast_in_rank_order(client, edition, voter):
    edition.ballot_type = BallotType.RANKING
    edition.max_choices = 3
    edition.save()
    pool = citywide(edition)
    trees, benches, path = projects(edition, 1, 2, 3)
    response = client.post(pool_url(edition, pool), {"action": "review", f"rank-{trees}": "1", f"rank-{path}": "1"})
    assert "same rank (1)" in text_of(response)
    client.post(pool_url(edition, pool), {"action": "cast", f"rank-{trees}": "2", f"rank-{path}": "1"})
    assert Ballot.objects.get().projects == [path, trees]


# Voting codes --------------------------------------------------------------------------------------------------------


@pytest.fixture
def code_edition(edition):
    edition.allow_voting_codes = True
    edition.save()
    VotingCode.objects.create(edition=edition, code_hash=code_hash(edition, CODE))
    return edition


def test_voting_with_a_code_needs_no_account(client, code_edition):
    edition = code_edition
    response = client.get(code_url(edition))
    assert response.status_code == 200
    response = client.post(code_url(edition), {"code": "wrong-code"})
    assert response.status_code == 200
    assert "not valid for this budget" in text_of(response)

    response = client.post(code_url(edition), {"code": "abcd efgh jkmn"})
    assert response.status_code == 302
    assert response.url == vote_url(edition)
    assert "Citywide projects" in text_of(client.get(vote_url(edition)))

    pool = citywide(edition)
    client.post(pool_url(edition, pool), {"action": "cast", "project": projects(edition, 1)})
    record = VoterRecord.objects.get()
    assert record.channel == VoteChannel.CODE and record.voter_key.startswith("c:")
    assert Ballot.objects.get().channel == VoteChannel.CODE

    client.post(vote_url(edition), {"action": "finish"})
    assert "Sign in to vote" in text_of(client.get(vote_url(edition)))


def test_code_page_is_404_without_codes(client, edition):
    assert client.get(code_url(edition)).status_code == 404


def test_wrong_codes_are_rate_limited(client, code_edition):
    edition = code_edition
    for _attempt in range(10):
        assert client.post(code_url(edition), {"code": "WRONG-WRONG-WRONG"}).status_code == 200
    response = client.post(code_url(edition), {"code": CODE})
    assert response.status_code == 429
    assert not client.session.get("budgeting.voters")


def test_right_codes_do_not_use_up_the_limit(client, code_edition):
    edition = code_edition
    for _attempt in range(12):
        client.session.flush()
        assert client.post(code_url(edition), {"code": CODE}).status_code == 302


# Receipt lookup ------------------------------------------------------------------------------------------------------


def cast_one(client, edition):
    client.post(pool_url(edition, citywide(edition)), {"action": "cast", "project": projects(edition, 1)})
    return Ballot.objects.get().receipt


def test_own_receipt_is_shown_right_after_voting(client, edition, voter):
    receipt = cast_one(client, edition)
    response = client.post(receipt_url(edition), {"receipt": receipt.lower().replace("-", "")})
    page = text_of(response)
    assert f"Ballot {receipt} in Citywide" in page and "Trees in the park" in page


def test_others_receipt_waits_for_publication(client, edition, voter):
    from django.test import Client

    receipt = cast_one(client, edition)
    stranger = Client()
    response = stranger.post(receipt_url(edition), {"receipt": receipt})
    page = text_of(response)
    assert "Ballots are not published yet" in page and "Trees in the park" not in page
    # The same answer for a code that does not exist: nothing is revealed before publication.
    assert "Ballots are not published yet" in text_of(stranger.post(receipt_url(edition), {"receipt": "ZZZZZ-ZZZZZ"}))

    edition.ballots_published = True
    edition.save()
    assert "Trees in the park" in text_of(stranger.post(receipt_url(edition), {"receipt": receipt}))
    response = stranger.post(receipt_url(edition), {"receipt": "ZZZZZ-ZZZZZ"})
    assert "No ballot in this budget has this receipt code" in text_of(response)


def test_done_page_without_a_receipt_in_this_browser(client, edition):
    response = client.get(done_url(edition, citywide(edition)))
    assert response.status_code == 200
    assert "This browser has no receipt code for this pool" in text_of(response)


def test_tampered_receipt_cookie_is_ignored(client, edition, voter):
    cast_one(client, edition)
    client.cookies["veche_ballot_receipts"] = '[[1, 1, "AAAAA-AAAAA"]]:forged'
    assert "This browser has no receipt code" in text_of(client.get(done_url(edition, citywide(edition))))


# Query counts --------------------------------------------------------------------------------------------------------


def _ballot_page_queries(client, edition, pool) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(pool_url(edition, pool))
    assert response.status_code == 200
    return len(context.captured_queries)


def test_ballot_page_query_count_does_not_grow_with_projects(client, django_assert_num_queries, voter):
    small = make_edition(phase="voting")
    ProposalFactory(edition=small, category=CategoryFactory(edition=small))
    large = make_edition(phase="voting")
    categories = [CategoryFactory(edition=large) for _index in range(8)]
    for index in range(300):
        ProposalFactory(edition=large, category=categories[index % 8], latitude=50, longitude=14)
    _ballot_page_queries(client, small, small.pools.get())  # warm the session and the content types
    one = _ballot_page_queries(client, small, small.pools.get())
    url = pool_url(large, large.pools.get())
    with django_assert_num_queries(one):
        response = client.get(url)
    assert response.content.decode().count('name="project"') == 300
    assert one <= 12


def test_a_code_typed_in_a_browser_does_not_carry_over_to_whoever_signs_in_next(client, code_edition):
    edition = code_edition
    client.post(code_url(edition), {"code": "abcd efgh jkmn"})
    assert "budgeting.voters" in client.session
    client.force_login(UserFactory())
    assert "budgeting.voters" not in client.session
