"""The review's voting fixes: receipts on a shared computer, codes never kept, the ballot box sealed after voting,
the published ballots searched by POST, revoked codes and removed residents, one person through two channels, and
paper batches still open when voting closes."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from veche.audit.models import AuditEntry
from veche.budgeting.choices import BallotType, Eligibility, PoolKind, VoteChannel
from veche.budgeting.models import Ballot, Edition, PaperBatch, VoterRecord, VotingCode
from veche.budgeting.services import editions as edition_services
from veche.budgeting.services import results, voters, voting
from veche.budgeting.tests.factories import ProposalFactory, make_edition, schedule
from veche.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

CODE = "ABCD-EFGH-JKMN"


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _url(name, edition, **kwargs):
    return reverse(f"budgeting:{name}", kwargs={"edition_id": edition.pk, **kwargs})


@pytest.fixture
def edition(personas):
    edition = make_edition(
        phase="voting",
        organisation=personas.organisation,
        ballot_type=BallotType.APPROVAL,
        secret_ballot=True,
        allow_voting_codes=True,
        allow_paper=True,
    )
    pool = edition.pools.get()
    ProposalFactory(edition=edition, pool=pool, number=1, title="Trees in the park", cost_estimate=Decimal(40_000))
    ProposalFactory(edition=edition, pool=pool, number=2, title="Benches", cost_estimate=Decimal(30_000))
    return edition


def _project(edition, number):
    return edition.proposals.get(number=number).pk


def _cast(client, edition, number=1):
    pool = edition.pools.get()
    client.post(_url("vote_pool", edition, pool_id=pool.pk), {"action": "cast", "project": [_project(edition, number)]})


# 1. Receipts on a shared computer ------------------------------------------------------------------------------------


def test_the_next_person_on_the_same_browser_does_not_see_the_receipt(client, edition):
    pool = edition.pools.get()
    done = _url("vote_done", edition, pool_id=pool.pk)
    client.force_login(UserFactory())
    _cast(client, edition)
    receipt = Ballot.objects.get().receipt
    assert receipt in text_of(client.get(done)) and "Trees in the park" in text_of(client.get(done))

    kept = client.cookies["veche_ballot_receipts"].value
    client.logout()  # the test client drops every cookie; a browser keeps the receipts cookie after signing out
    client.cookies["veche_ballot_receipts"] = kept
    page = text_of(client.get(done))
    assert receipt not in page and "Trees in the park" not in page
    lookup = text_of(client.post(_url("receipt", edition), {"receipt": receipt}))
    assert "Ballots are not published yet" in lookup and "Trees in the park" not in lookup

    client.force_login(UserFactory())  # another person signs in at the same computer
    page = text_of(client.get(done))
    assert receipt not in page and "Trees in the park" not in page
    lookup = text_of(client.post(_url("receipt", edition), {"receipt": receipt}))
    assert "Ballots are not published yet" in lookup and "Trees in the park" not in lookup


def test_finishing_deletes_the_receipts_of_a_code_voter(client, edition):
    VotingCode.objects.create(edition=edition, code_hash=voting.code_hash(edition, CODE))
    pool = edition.pools.get()
    done = _url("vote_done", edition, pool_id=pool.pk)
    client.post(_url("vote_with_code", edition), {"code": CODE})
    _cast(client, edition)
    receipt = Ballot.objects.get().receipt
    assert receipt in text_of(client.get(done))
    response = client.post(_url("vote", edition), {"action": "finish"})
    assert response.status_code == 302
    assert response.cookies["veche_ballot_receipts"].value == ""  # deleted
    assert receipt not in text_of(client.get(done))
    assert "Ballots are not published yet" in text_of(client.post(_url("receipt", edition), {"receipt": receipt}))


def test_a_receipt_cookie_copied_to_another_voter_is_not_theirs(edition):
    first, second = Client(), Client()
    first.force_login(UserFactory())
    _cast(first, edition)
    receipt = Ballot.objects.get().receipt
    second.force_login(UserFactory())
    second.cookies["veche_ballot_receipts"] = first.cookies["veche_ballot_receipts"].value
    done = _url("vote_done", edition, pool_id=edition.pools.get().pk)
    assert receipt not in text_of(second.get(done))


# 2. Voting codes: the CSV is the answer, and cells cannot be formulas -------------------------------------------------


def test_code_csv_cells_cannot_start_a_formula(client, personas, edition):
    client.force_login(personas.coordinator)
    response = client.post(
        _url("codes", edition), {"action": "generate", "batch": '=HYPERLINK("http://evil","x")', "count": 2}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[0] for row in rows[1:]] == ['\'=HYPERLINK("http://evil","x")'] * 2
    assert VotingCode.objects.get(pk=VotingCode.objects.first().pk).batch == '=HYPERLINK("http://evil","x")'
    from veche.budgeting.views.voters import csv_cell

    assert [csv_cell(v) for v in ("+1", "-2", "@x", "\tx", "ok", "a=b")] == ["'+1", "'-2", "'@x", "'\tx", "ok", "a=b"]


def test_a_generate_form_error_shows_the_page_again(client, personas, edition):
    client.force_login(personas.coordinator)
    response = client.post(_url("codes", edition), {"action": "generate", "batch": "Letters"})
    assert response.status_code == 200
    assert "Give the number of codes" in text_of(response)
    assert not VotingCode.objects.exists()


# 3. The ballot box sealed after voting -------------------------------------------------------------------------------


def _vote_online(edition, count):
    pool = edition.pools.get()
    for _index in range(count):
        voter = voting.voter_for_user(user=UserFactory(), edition=edition)
        voting.cast_ballot(voter=voter, pool=pool, projects=[_project(edition, 1)])


def test_sealing_rewrites_the_ballots_unchanged_in_receipt_order_once(personas, edition):
    _vote_online(edition, 5)
    before = {b.pk: (b.receipt, b.projects, b.points, b.channel) for b in Ballot.objects.all()}
    with pytest.raises(ValidationError, match="Voting is still open"):
        voting.seal_ballot_box(actor=personas.coordinator, edition=edition)
    schedule(edition, "results")
    with pytest.raises(PermissionDenied):
        voting.seal_ballot_box(actor=personas.resident, edition=edition)
    sealed = voting.seal_ballot_box(actor=personas.coordinator, edition=edition)
    assert sealed.ballots_sealed_at is not None
    assert {b.pk: (b.receipt, b.projects, b.points, b.channel) for b in Ballot.objects.all()} == before
    entry = AuditEntry.objects.get(action="budgeting.ballot_box_sealed")
    assert entry.data == {"ballots": 5}
    again = voting.seal_ballot_box(actor=personas.coordinator, edition=edition)  # idempotent
    assert again.ballots_sealed_at == sealed.ballots_sealed_at
    assert AuditEntry.objects.filter(action="budgeting.ballot_box_sealed").count() == 1


def test_counting_a_secret_ballot_seals_it_and_no_ballot_comes_in_after(personas, edition):
    _vote_online(edition, 2)
    batch = voters.create_paper_batch(actor=personas.coordinator, edition=edition, label="Box 1", sheets=1)
    voters.close_paper_batch(actor=personas.coordinator, batch=batch)
    schedule(edition, "results")
    results.count_pool(actor=personas.coordinator, pool=edition.pools.get())
    edition.refresh_from_db()
    assert edition.ballots_sealed_at is not None
    fresh = Edition.objects.with_timeline().get(pk=edition.pk)
    late = PaperBatch.objects.create(edition=fresh, label="Late", sheets=1)
    with pytest.raises(PermissionDenied, match="sealed"):
        voting.cast_ballot(
            voter=voting.paper_voter(edition=fresh),
            pool=fresh.pools.get(),
            projects=[_project(fresh, 1)],
            actor=personas.coordinator,
            batch=late,
        )


def test_counting_an_open_ballot_does_not_seal(personas, edition):
    Edition.objects.filter(pk=edition.pk).update(secret_ballot=False)
    _vote_online(edition, 1)
    schedule(edition, "results")
    results.count_pool(actor=personas.coordinator, pool=edition.pools.get())
    assert Edition.objects.get(pk=edition.pk).ballots_sealed_at is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin is PostgreSQL's")
def test_after_sealing_no_ballot_shares_a_transaction_with_the_register(personas, edition):
    _vote_online(edition, 6)
    other = make_edition(phase="voting", organisation=personas.organisation, secret_ballot=True)
    ProposalFactory(edition=other, pool=other.pools.get(), number=1)
    _vote_online(other, 2)

    def xmins(table, where):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT xmin::text::bigint FROM {table} WHERE {where}")  # noqa: S608 - test's own
            return [row[0] for row in cursor.fetchall()]

    pool_ids = ",".join(str(pk) for pk in edition.pools.values_list("pk", flat=True))
    ballot_table, register_table = Ballot._meta.db_table, VoterRecord._meta.db_table
    register = set(xmins(register_table, f"edition_id = {edition.pk}"))
    assert set(xmins(ballot_table, f"pool_id IN ({pool_ids})")) == register  # the weakness: one xmin per cast

    schedule(edition, "results")
    voting.seal_ballot_box(actor=personas.coordinator, edition=edition)
    sealed = xmins(ballot_table, f"pool_id IN ({pool_ids})")
    assert len(sealed) == 6 and len(set(sealed)) == 1
    assert not set(sealed) & set(xmins(register_table, "TRUE"))
    with connection.cursor() as cursor:  # the physical order is the receipt order
        cursor.execute(f"SELECT receipt FROM {ballot_table} WHERE pool_id IN ({pool_ids}) ORDER BY ctid")  # noqa: S608
        physical = [row[0] for row in cursor.fetchall()]
    assert physical == sorted(physical)


# 4. The published ballots are searched by POST ----------------------------------------------------------------------


def test_the_published_ballot_list_is_searched_by_post_only(personas, edition):
    _vote_online(edition, 3)
    schedule(edition, "results")
    pool = edition.pools.get()
    results.count_pool(actor=personas.coordinator, pool=pool)
    edition = results.publish_results(actor=personas.coordinator, edition=edition)
    results.set_ballots_published(actor=personas.coordinator, edition=edition, published=True)
    receipts = sorted(Ballot.objects.values_list("receipt", flat=True))
    url = _url("ballots", edition, pool_id=pool.pk)
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    html = page.content.decode()
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    ignored = text_of(client.get(url, {"receipt": receipts[0]}))  # a GET search is not a search
    assert all(receipt in ignored for receipt in receipts)
    assert client.post(url, {"receipt": receipts[0]}).status_code == 403  # no CSRF token
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value
    found = text_of(client.post(url, {"receipt": receipts[0].lower(), "csrfmiddlewaretoken": token}))
    assert receipts[0] in found and receipts[1] not in found


# 5. Revoked codes and residents no longer on the list ---------------------------------------------------------------


def test_a_code_revoked_after_it_was_typed_in_cannot_vote(client, personas, edition):
    VotingCode.objects.create(edition=edition, code_hash=voting.code_hash(edition, CODE), batch="Lost")
    client.post(_url("vote_with_code", edition), {"code": CODE})
    voters.revoke_codes(actor=personas.coordinator, edition=edition, batch="Lost")
    pool = edition.pools.get()
    response = client.post(
        _url("vote_pool", edition, pool_id=pool.pk), {"action": "cast", "project": [_project(edition, 1)]}
    )
    assert response.status_code == 403
    assert "withdrawn" in text_of(response)
    assert not Ballot.objects.exists() and not VoterRecord.objects.exists()


def test_the_service_rechecks_the_code_and_the_list(personas, edition):
    VotingCode.objects.create(edition=edition, code_hash=voting.code_hash(edition, CODE), batch="Lost")
    voter = voting.voter_for_code(edition=edition, code=CODE)
    VotingCode.objects.update(revoked=True)
    pool = edition.pools.get()
    with pytest.raises(voting.NotEligible) as refusal:
        voting.cast_ballot(voter=voter, pool=pool, projects=[_project(edition, 1)])
    assert refusal.value.reason == "revoked_code"
    # A key from an old session without the code id is checked too.
    with pytest.raises(voting.NotEligible):
        voting.cast_ballot(voter=voting.Voter(voter.key, VoteChannel.CODE), pool=pool, projects=[_project(edition, 1)])

    Edition.objects.filter(pk=edition.pk).update(eligibility=Eligibility.RESIDENTS)
    listed = Edition.objects.with_timeline().get(pk=edition.pk)
    voters.upload_residents(actor=personas.coordinator, edition=listed, data="111\n222\n")
    resident = voting.voter_for_user(user=UserFactory(), edition=listed, resident_identifier="111")
    voters.upload_residents(actor=personas.coordinator, edition=listed, data="222\n")  # 111 is off the list now
    with pytest.raises(voting.NotEligible) as refusal:
        voting.cast_ballot(voter=resident, pool=listed.pools.get(), projects=[_project(listed, 1)])
    assert refusal.value.reason == "not_on_list"
    assert not Ballot.objects.exists()


# 6. One person, two channels -----------------------------------------------------------------------------------------


def test_accounts_with_codes_are_warned_about(client, personas, edition):
    values = {"allow_voting_codes": True, "eligibility": Eligibility.ACCOUNT}
    assert "vote once with an account and again with a voting code" in edition_services.settings_warnings(values)[0]
    assert edition_services.settings_warnings({**values, "eligibility": Eligibility.MINIMUM_AGE})
    assert not edition_services.settings_warnings({**values, "eligibility": Eligibility.RESIDENTS})
    assert not edition_services.settings_warnings({**values, "allow_voting_codes": False})
    client.force_login(personas.coordinator)
    page = text_of(client.get(_url("edition_settings", edition)))
    assert "A person could vote once with an account and again with a voting code" in page


@pytest.fixture
def residents_edition(personas, edition):
    Edition.objects.filter(pk=edition.pk).update(eligibility=Eligibility.RESIDENTS)
    edition = Edition.objects.with_timeline().get(pk=edition.pk)
    voters.upload_residents(actor=personas.coordinator, edition=edition, data="111\n222\n333\n")
    return edition


def test_codes_drawn_for_residents_vote_as_the_resident(client, personas, residents_edition):
    edition = residents_edition
    client.force_login(personas.coordinator)
    upload = SimpleUploadedFile("letters.csv", b"identifier\n111\n222\n", content_type="text/csv")
    response = client.post(_url("codes", edition), {"action": "generate", "batch": "Letters", "residents": upload})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["batch", "identifier", "code"]
    assert [(row[0], row[1]) for row in rows[1:]] == [("Letters", "111"), ("Letters", "222")]
    code_of = {row[1]: row[2] for row in rows[1:]}
    assert set(VotingCode.objects.values_list("resident_hash", flat=True)) == {
        voting.resident_hash(edition, "111"),
        voting.resident_hash(edition, "222"),
    }
    assert AuditEntry.objects.get(action="budgeting.codes_generated").data == {
        "batch": "Letters",
        "count": 2,
        "for_residents": True,
    }

    pool = edition.pools.get()
    by_account = voting.voter_for_user(user=UserFactory(), edition=edition, resident_identifier="111")
    voting.cast_ballot(voter=by_account, pool=pool, projects=[_project(edition, 1)])
    by_letter = voting.voter_for_code(edition=edition, code=code_of["111"])
    assert by_letter == voting.Voter(by_account.key, VoteChannel.CODE, by_letter.code_id)
    with pytest.raises(ValidationError) as error:
        voting.cast_ballot(voter=by_letter, pool=pool, projects=[_project(edition, 2)])
    assert error.value.code == "already_voted"
    assert [(b.total, b.used) for b in voters.code_batches(edition)] == [(2, 1)]


def test_resident_codes_need_people_on_the_list(personas, residents_edition):
    with pytest.raises(ValidationError) as error:
        voters.generate_resident_codes(actor=personas.coordinator, edition=residents_edition, batch="L", data="999\n1")
    assert error.value.messages == [
        "Line 1: this identifier is not on the residents' list.",
        "Line 2: this identifier is not on the residents' list.",
    ]
    codes = voters.generate_resident_codes(actor=personas.coordinator, edition=residents_edition, batch="L", data="333")
    assert [who for who, _code in codes] == ["333"]
    voters.upload_residents(actor=personas.coordinator, edition=residents_edition, data="111\n")
    with pytest.raises(ValidationError) as refusal:
        voting.voter_for_code(edition=residents_edition, code=codes[0][1])
    assert refusal.value.code == "not_on_list"


# 7. Paper batches still open when voting closes ----------------------------------------------------------------------


def test_an_open_batch_takes_sheets_after_voting_until_counting(client, personas, edition):
    batch = voters.create_paper_batch(actor=personas.coordinator, edition=edition, label="Library, box 1", sheets=2)
    schedule(edition, "results")
    edition = Edition.objects.with_timeline().get(pk=edition.pk)
    assert personas.coordinator.has_perm("budgeting.enter_paper_ballots", edition)
    with pytest.raises(ValidationError, match="no new batch"):
        voters.create_paper_batch(actor=personas.coordinator, edition=edition, label="Late", sheets=1)
    pool = edition.pools.get()
    with pytest.raises(ValidationError) as error:
        results.count_pool(actor=personas.coordinator, pool=pool)
    assert error.value.messages == ["Close the paper batches first: Library, box 1."]
    with pytest.raises(ValidationError, match="Close the paper batches first"):
        results.start_count(actor=personas.coordinator, edition=edition)

    client.force_login(personas.coordinator)
    page = _url("paper_batch", edition, batch_id=batch.pk)
    response = client.post(page, {"action": "enter", "pool": pool.pk, "numbers": "1"})
    assert response.status_code == 302
    assert Ballot.objects.filter(batch=batch).count() == 1
    # Online voting stays closed.
    with pytest.raises(PermissionDenied, match="Voting is closed"):
        voting.cast_ballot(
            voter=voting.voter_for_user(user=UserFactory(), edition=edition), pool=pool, projects=[_project(edition, 1)]
        )
    client.post(page, {"action": "close"})
    results.count_pool(actor=personas.coordinator, pool=pool)
    assert Edition.objects.get(pk=edition.pk).ballots_sealed_at is not None


def test_no_paper_ballots_once_results_are_published(personas, edition):
    schedule(edition, "results")
    edition = Edition.objects.with_timeline().get(pk=edition.pk)
    edition.results_published_at = edition.module.phases.first().starts_at
    assert not personas.coordinator.has_perm("budgeting.enter_paper_ballots", edition)
    schedule(edition, "voting")
    edition = Edition.objects.with_timeline().get(pk=edition.pk)
    assert edition.module.allows("vote") and personas.coordinator.has_perm("budgeting.enter_paper_ballots", edition)
    assert edition.pools.get().kind == PoolKind.CITYWIDE
