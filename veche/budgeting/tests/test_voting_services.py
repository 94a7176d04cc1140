"""The voting service: eligibility, one ballot per voter and pool, validation messages, receipts, the secret ballot."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from veche.audit.models import AuditEntry
from veche.budgeting.choices import BallotType, Eligibility, PoolKind, ProposalStatus, VoteChannel
from veche.budgeting.models import Ballot, PaperBatch, Pool, ResidentEntry, VoterRecord, VotingCode
from veche.budgeting.services import voting
from veche.budgeting.tests.factories import ProposalFactory, make_edition, schedule
from veche.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _projects(edition, count=5, cost=10_000, pool=None):
    pool = pool or edition.pools.first()
    return [ProposalFactory(edition=edition, pool=pool, cost_estimate=Decimal(cost)) for _ in range(count)]


def _messages(error):
    return [(item.code, item.messages[0]) for item in error.value.error_list]


# Eligibility ---------------------------------------------------------------------------------------------------------


def test_an_anonymous_person_is_asked_to_sign_in(personas):
    edition = make_edition(phase="voting")
    with pytest.raises(voting.NotEligible) as error:
        voting.voter_for_user(user=personas.anonymous, edition=edition)
    assert error.value.reason == "sign_in"
    assert isinstance(error.value, PermissionDenied)


def test_account_mode_needs_a_verified_email():
    edition = make_edition(phase="voting")
    unverified = UserFactory(verified=False)
    with pytest.raises(voting.NotEligible) as error:
        voting.voter_for_user(user=unverified, edition=edition)
    assert error.value.reason == "verify_email"
    assert "Confirm your email" in str(error.value)
    verified = UserFactory()
    assert voting.voter_for_user(user=verified, edition=edition) == voting.Voter(
        key=f"u:{verified.pk}", channel=VoteChannel.ONLINE
    )


@time_machine.travel(date(2027, 5, 10), tick=False)
@pytest.mark.parametrize(
    ("birth_date", "allowed"),
    [(date(2012, 5, 10), True), (date(2012, 5, 11), False), (date(1950, 1, 1), True), (date(2020, 1, 1), False)],
)
def test_minimum_age_is_checked_on_the_voting_day(birth_date, allowed):
    edition = make_edition(phase="voting", eligibility=Eligibility.MINIMUM_AGE, minimum_age=15)
    user = UserFactory()
    if allowed:
        assert voting.voter_for_user(user=user, edition=edition, birth_date=birth_date).key == f"u:{user.pk}"
    else:
        with pytest.raises(voting.NotEligible, match="aged at least 15") as error:
            voting.voter_for_user(user=user, edition=edition, birth_date=birth_date)
        assert error.value.reason == "too_young"


def test_minimum_age_asks_for_the_birth_date():
    edition = make_edition(phase="voting", eligibility=Eligibility.MINIMUM_AGE, minimum_age=15)
    with pytest.raises(voting.NotEligible) as error:
        voting.voter_for_user(user=UserFactory(), edition=edition)
    assert error.value.reason == "birth_date_needed"


def test_residents_are_known_by_their_salted_identifier_hash_only():
    edition = make_edition(phase="voting", eligibility=Eligibility.RESIDENTS)
    ResidentEntry.objects.create(edition=edition, identifier_hash=voting.resident_hash(edition, "855101/1234"))
    voter = voting.voter_for_user(user=UserFactory(), edition=edition, resident_identifier=" 855101 1234 ")
    assert voter.key == f"r:{voting.resident_hash(edition, '8551011234')}"
    assert "8551011234" not in voter.key
    # Another account typing the same identifier is the same voter: they cannot vote twice.
    assert voting.voter_for_user(user=UserFactory(), edition=edition, resident_identifier="8551011234") == voter
    # The hash depends on the edition's salt.
    other = make_edition(phase="voting", eligibility=Eligibility.RESIDENTS)
    assert voting.resident_hash(other, "8551011234") != voting.resident_hash(edition, "8551011234")
    with pytest.raises(voting.NotEligible) as error:
        voting.voter_for_user(user=UserFactory(), edition=edition, resident_identifier="999")
    assert error.value.reason == "not_on_list"
    with pytest.raises(voting.NotEligible) as error:
        voting.voter_for_user(user=UserFactory(), edition=edition)
    assert error.value.reason == "identifier_needed"


def test_voting_codes_are_credentials_until_revoked():
    edition = make_edition(phase="voting", allow_voting_codes=True)
    code = VotingCode.objects.create(edition=edition, code_hash=voting.code_hash(edition, "ABCD-EFGH-JKMN"))
    voter = voting.voter_for_code(edition=edition, code="abcd efgh jkmn")
    assert voter == voting.Voter(key=f"c:{code.pk}", channel=VoteChannel.CODE)
    with pytest.raises(ValidationError) as error:
        voting.voter_for_code(edition=edition, code="ABCD-EFGH-JKMM")
    assert error.value.code == "unknown_code"
    code.revoked = True
    code.save()
    with pytest.raises(ValidationError) as error:
        voting.voter_for_code(edition=edition, code="ABCD-EFGH-JKMN")
    assert error.value.code == "revoked_code"


def test_codes_are_refused_where_the_edition_takes_none():
    edition = make_edition(phase="voting")
    with pytest.raises(ValidationError) as error:
        voting.voter_for_code(edition=edition, code="ABCD")
    assert error.value.code == "no_codes"


# Casting -------------------------------------------------------------------------------------------------------------


def test_a_ballot_goes_into_the_box_and_the_voter_into_the_register():
    edition = make_edition(phase="voting")
    pool = edition.pools.get()
    projects = _projects(edition, 3)
    user = UserFactory()
    voter = voting.voter_for_user(user=user, edition=edition)
    ballot = voting.cast_ballot(voter=voter, pool=pool, projects=[p.pk for p in projects[:2]])
    assert ballot.projects == [projects[0].pk, projects[1].pk]
    assert ballot.channel == VoteChannel.ONLINE
    assert ballot.voter_key == f"u:{user.pk}"  # not secret
    assert len(ballot.receipt) == 11 and ballot.receipt[5] == "-"
    entry = VoterRecord.objects.get()
    assert (entry.pool, entry.voter_key, entry.pool_kind, entry.voted_on) == (
        pool,
        voter.key,
        PoolKind.CITYWIDE,
        timezone.localdate(),
    )
    assert voting.find_ballot(edition=edition, receipt=ballot.receipt.lower().replace("-", " ")) == ballot
    assert voting.find_ballot(edition=edition, receipt="00000-00000") is None
    assert voting.find_ballot(edition=edition, receipt="short") is None
    assert not AuditEntry.objects.filter(action__startswith="budgeting.").exists()


def test_a_second_ballot_in_the_same_pool_is_refused_by_the_register():
    edition = make_edition(phase="voting")
    pool = edition.pools.get()
    (project,) = _projects(edition, 1)
    voter = voting.voter_for_user(user=UserFactory(), edition=edition)
    voting.cast_ballot(voter=voter, pool=pool, projects=[project.pk])
    with pytest.raises(ValidationError) as error:
        voting.cast_ballot(voter=voter, pool=pool, projects=[project.pk])
    assert error.value.code == "already_voted"
    assert "already voted in Citywide" in error.value.messages[0]
    assert Ballot.objects.count() == VoterRecord.objects.count() == 1


def test_one_citywide_and_one_district_pool_per_voter():
    edition = make_edition(phase="voting", pools=3)
    citywide, first, second = edition.pools.order_by("weight")
    projects = {pool: _projects(edition, 1, pool=pool)[0] for pool in (citywide, first, second)}
    voter = voting.voter_for_user(user=UserFactory(), edition=edition)
    assert [(c.pool, c.has_voted, c.may_vote) for c in voting.pools_for(voter=voter, edition=edition)] == [
        (citywide, False, True),
        (first, False, True),
        (second, False, True),
    ]
    voting.cast_ballot(voter=voter, pool=citywide, projects=[projects[citywide].pk])
    voting.cast_ballot(voter=voter, pool=first, projects=[projects[first].pk])
    with pytest.raises(ValidationError) as error:
        voting.cast_ballot(voter=voter, pool=second, projects=[projects[second].pk])
    assert error.value.code == "one_district_only"
    assert [(c.has_voted, c.may_vote) for c in voting.pools_for(voter=voter, edition=edition)] == [
        (True, False),
        (True, False),
        (False, False),
    ]


def test_a_resident_votes_only_in_their_own_district():
    edition = make_edition(phase="voting", pools=3, eligibility=Eligibility.RESIDENTS)
    _citywide, first, second = edition.pools.order_by("weight")
    ResidentEntry.objects.create(edition=edition, identifier_hash=voting.resident_hash(edition, "42"), district=second)
    voter = voting.voter_for_user(user=UserFactory(), edition=edition, resident_identifier="42")
    assert [c.may_vote for c in voting.pools_for(voter=voter, edition=edition)] == [True, False, True]
    (project,) = _projects(edition, 1, pool=first)
    with pytest.raises(ValidationError) as error:
        voting.cast_ballot(voter=voter, pool=first, projects=[project.pk])
    assert error.value.code == "wrong_district"


def test_voting_is_refused_outside_the_voting_phase():
    edition = make_edition(phase="voting")
    pool = edition.pools.get()
    (project,) = _projects(edition, 1)
    voter = voting.voter_for_user(user=UserFactory(), edition=edition)
    schedule(edition, "results")
    with pytest.raises(PermissionDenied, match="Voting is closed"):
        voting.cast_ballot(voter=voter, pool=pool, projects=[project.pk])
    assert not Ballot.objects.exists() and not VoterRecord.objects.exists()


def test_a_code_counts_as_used_from_the_register_without_writing_the_code():
    from veche.budgeting.services.voters import code_batches

    edition = make_edition(phase="voting", allow_voting_codes=True)
    VotingCode.objects.create(edition=edition, code_hash=voting.code_hash(edition, "AAAA-BBBB-CCCC"), batch="L")
    VotingCode.objects.create(edition=edition, code_hash=voting.code_hash(edition, "DDDD-EEEE-FFFF"), batch="L")
    (project,) = _projects(edition, 1)
    voter = voting.voter_for_code(edition=edition, code="AAAA-BBBB-CCCC")
    assert [(b.total, b.used) for b in code_batches(edition)] == [(2, 0)]
    ballot = voting.cast_ballot(voter=voter, pool=edition.pools.get(), projects=[project.pk])
    assert ballot.channel == VoteChannel.CODE
    assert [(b.total, b.used, b.unused) for b in code_batches(edition)] == [(2, 1, 1)]
    assert "first_used_on" not in {field.name for field in VotingCode._meta.get_fields()}


# Validation messages -------------------------------------------------------------------------------------------------


def test_an_over_budget_knapsack_ballot_is_refused_with_the_amounts():
    edition = make_edition(phase="voting", ballot_type=BallotType.KNAPSACK)
    projects = _projects(edition, 3, cost=40_000)
    with pytest.raises(ValidationError) as error:
        voting.cast_ballot(
            voter=voting.Voter("u:1", VoteChannel.ONLINE), pool=edition.pools.get(), projects=[p.pk for p in projects]
        )
    assert _messages(error) == [
        (
            "over_budget",
            "Your choices cost 120,000 CZK, 20,000 CZK more than this pool's budget of 100,000 CZK. "
            "Remove a project or choose cheaper ones.",
        )
    ]
    assert not Ballot.objects.exists() and not VoterRecord.objects.exists()


def test_the_verified_cost_is_what_counts():
    edition = make_edition(phase="voting")
    projects = _projects(edition, 2, cost=40_000)
    projects[0].verified_cost = Decimal(70_000)
    projects[0].save()
    with pytest.raises(ValidationError, match="110,000 CZK"):
        voting.validate_ballot(edition=edition, pool=edition.pools.get(), projects=[p.pk for p in projects])


def test_approval_limits_the_number_of_projects():
    edition = make_edition(phase="voting", ballot_type=BallotType.APPROVAL, max_choices=2)
    projects = _projects(edition, 3)
    with pytest.raises(ValidationError) as error:
        voting.validate_ballot(edition=edition, pool=edition.pools.get(), projects=[p.pk for p in projects])
    assert _messages(error) == [("too_many", "You chose 3 projects, but you may choose at most 2 projects.")]


def test_projects_not_on_this_ballot_are_refused():
    edition = make_edition(phase="voting", pools=2)
    citywide, district = edition.pools.order_by("weight")
    elsewhere = _projects(edition, 1, pool=district)[0]
    rejected = ProposalFactory(edition=edition, pool=citywide, status=ProposalStatus.REJECTED)
    with pytest.raises(ValidationError) as error:
        voting.validate_ballot(edition=edition, pool=citywide, projects=[elsewhere.pk, rejected.pk])
    assert [code for code, _message in _messages(error)] == ["unknown_project"]
    assert "2 of your choices are not on this pool's ballot" in error.value.messages[0]


def test_an_empty_or_repeated_selection_is_refused():
    edition = make_edition(phase="voting")
    (project,) = _projects(edition, 1)
    pool = edition.pools.get()
    with pytest.raises(ValidationError) as error:
        voting.validate_ballot(edition=edition, pool=pool, projects=[])
    assert _messages(error) == [("empty", "Choose at least one project.")]
    with pytest.raises(ValidationError) as error:
        voting.validate_ballot(edition=edition, pool=pool, projects=[project.pk, project.pk])
    assert _messages(error) == [
        ("duplicate", f"You chose project {project.number} more than once; choose each project once.")
    ]


def test_cumulative_points_are_checked():
    edition = make_edition(
        phase="voting", ballot_type=BallotType.CUMULATIVE, points_per_voter=10, max_points_per_project=5
    )
    a, b, c = _projects(edition, 3)
    pool = edition.pools.get()
    voting.validate_ballot(edition=edition, pool=pool, projects=[a.pk, b.pk], points=[5, 5])
    with pytest.raises(ValidationError) as error:
        voting.validate_ballot(edition=edition, pool=pool, projects=[a.pk, b.pk, c.pk], points=[5, 5, 1])
    assert _messages(error) == [("points_over_total", "You gave 11 points, but you have 10 to share out.")]
    with pytest.raises(ValidationError) as error:
        voting.validate_ballot(edition=edition, pool=pool, projects=[a.pk], points=[6])
    assert _messages(error)[0][0] == "points_over_per_project"
    assert str(a.number) in _messages(error)[0][1]
    with pytest.raises(ValidationError) as error:
        voting.validate_ballot(edition=edition, pool=pool, projects=[a.pk], points=[0])
    assert _messages(error)[0][0] == "points_not_positive"
    with pytest.raises(ValidationError) as error:
        voting.validate_ballot(edition=edition, pool=pool, projects=[a.pk])
    assert _messages(error)[0][0] == "points_missing"
    ballot = voting.cast_ballot(
        voter=voting.Voter("u:1", VoteChannel.ONLINE), pool=pool, projects=[a.pk, b.pk], points=[3, 4]
    )
    assert ballot.points == [3, 4]


def test_a_ranking_keeps_the_order():
    edition = make_edition(phase="voting", ballot_type=BallotType.RANKING, max_choices=3)
    a, b, c = _projects(edition, 3, cost=90_000)  # costs do not matter for rankings
    ballot = voting.cast_ballot(
        voter=voting.Voter("u:1", VoteChannel.ONLINE), pool=edition.pools.get(), projects=[c.pk, a.pk, b.pk]
    )
    assert ballot.projects == [c.pk, a.pk, b.pk]


def test_messages_are_translated():
    from django.utils import translation

    edition = make_edition(phase="voting")
    with translation.override("cs"), pytest.raises(ValidationError) as error:
        voting.validate_ballot(edition=edition, pool=edition.pools.get(), projects=[])
    assert error.value.messages  # the catalogue may not have it yet; the message goes through gettext


# The secret ballot ---------------------------------------------------------------------------------------------------


def _columns(model):
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, model._meta.db_table)}


def test_the_register_and_the_secret_ballot_box_cannot_be_joined():
    """The tables share no column a join could use but the pool (public anyway): the ids differ in kind (a register
    sequence, a random UUID in the box), the ballot's voter and channel stay empty; no timestamp and no sequence on
    ballots, which are ordered by their random receipt."""
    register, box = _columns(VoterRecord), _columns(Ballot)
    assert register & box == {"id", "pool_id", "channel", "voter_key"}
    assert VoterRecord._meta.pk.get_internal_type() != Ballot._meta.pk.get_internal_type() == "UUIDField"
    assert not any(
        field.get_internal_type() in ("DateTimeField", "DateField", "TimeField")
        for field in Ballot._meta.get_fields()
        if field.concrete
    )
    assert Ballot._meta.pk.get_internal_type() == "UUIDField"
    assert Ballot._meta.ordering == ["receipt"]

    edition = make_edition(phase="voting", secret_ballot=True)
    pool = edition.pools.get()
    projects = _projects(edition, 3)
    users = [UserFactory() for _ in range(5)]
    for index, user in enumerate(users):
        voter = voting.voter_for_user(user=user, edition=edition)
        voting.cast_ballot(voter=voter, pool=pool, projects=[projects[index % 3].pk])
    assert set(Ballot.objects.values_list("voter_key", "channel")) == {("", "")}
    ids = list(Ballot.objects.values_list("id", flat=True))
    assert len({str(pk)[:8] for pk in ids}) == 5  # random, not sequential
    receipts = list(Ballot.objects.values_list("receipt", flat=True))
    assert receipts == sorted(receipts)
    assert not AuditEntry.objects.filter(action__startswith="budgeting.").exists()


# Paper ---------------------------------------------------------------------------------------------------------------


def test_paper_ballots_are_entered_by_staff_in_batches(personas):
    edition = make_edition(
        phase="voting",
        organisation=personas.organisation,
        allow_paper=True,
        eligibility=Eligibility.RESIDENTS,
        secret_ballot=True,
    )
    ResidentEntry.objects.create(edition=edition, identifier_hash=voting.resident_hash(edition, "77"))
    pool = edition.pools.get()
    (project,) = _projects(edition, 1)
    batch = PaperBatch.objects.create(edition=edition, label="Town hall, box 1", sheets=2)
    with pytest.raises(PermissionDenied):
        voting.cast_ballot(
            voter=voting.paper_voter(edition=edition),
            pool=pool,
            projects=[project.pk],
            actor=personas.resident,
            batch=batch,
        )
    resident = voting.paper_voter(edition=edition, resident_identifier="77")
    voting.cast_ballot(voter=resident, pool=pool, projects=[project.pk], actor=personas.coordinator, batch=batch)
    # The same resident cannot vote online as well.
    online = voting.voter_for_user(user=UserFactory(), edition=edition, resident_identifier="77")
    with pytest.raises(ValidationError) as error:
        voting.cast_ballot(voter=online, pool=pool, projects=[project.pk])
    assert error.value.code == "already_voted"
    anonymous = voting.paper_voter(edition=edition)
    assert anonymous.key.startswith("p:") and anonymous.channel == VoteChannel.PAPER
    voting.cast_ballot(voter=anonymous, pool=pool, projects=[project.pk], actor=personas.coordinator, batch=batch)
    batch.refresh_from_db()
    assert batch.closed_at is not None  # the last sheet closes it
    with pytest.raises(PermissionDenied, match="closed"):
        voting.cast_ballot(
            voter=voting.paper_voter(edition=edition),
            pool=pool,
            projects=[project.pk],
            actor=personas.coordinator,
            batch=batch,
        )
    entries = AuditEntry.objects.filter(action__startswith="budgeting.paper").order_by("id")
    # Only the batch is audited (closed, with counts): an entry per sheet would time-stamp and number each ballot.
    assert [entry.action for entry in entries] == ["budgeting.paper_batch_closed"]
    assert entries[0].data == {"entered": 2, "sheets": 2}
    leaked = {str(ballot.pk) for ballot in Ballot.objects.all()} | set(Ballot.objects.values_list("receipt", flat=True))
    for entry in entries:
        assert not any(value in str(entry.data) + entry.target_id for value in leaked)
        assert "r:" not in str(entry.data)
    assert Ballot.objects.filter(batch=batch).count() == 2


def test_receipts_survive_a_collision(monkeypatch):
    edition = make_edition(phase="voting")
    (project,) = _projects(edition, 1)
    pool = edition.pools.get()
    codes = iter(["AAAAAAAAAA", "AAAAAAAAAA", "BBBBBBBBBB"])
    monkeypatch.setattr(voting, "random_code", lambda length: next(codes))
    first = voting.cast_ballot(voter=voting.Voter("u:1", VoteChannel.ONLINE), pool=pool, projects=[project.pk])
    second = voting.cast_ballot(voter=voting.Voter("u:2", VoteChannel.ONLINE), pool=pool, projects=[project.pk])
    assert (first.receipt, second.receipt) == ("AAAAA-AAAAA", "BBBBB-BBBBB")
    assert VoterRecord.objects.count() == 2


def test_cast_ballot_query_count_does_not_grow_with_the_pool(django_assert_num_queries):
    """Edition and phases (2), the chosen projects (1), the register and the ballot (2, plus the transaction's
    savepoint in tests); a pool handed over with its edition already loaded saves the first two."""
    edition = make_edition(phase="voting")
    projects = _projects(edition, 300, cost=100)
    pool = Pool.objects.get(edition=edition)
    with django_assert_num_queries(7):
        voting.cast_ballot(voter=voting.Voter("u:1", VoteChannel.ONLINE), pool=pool, projects=[projects[0].pk])
    pool.edition = edition  # loaded with_timeline() by make_edition, as a view loads it
    with django_assert_num_queries(5):
        voting.cast_ballot(voter=voting.Voter("u:2", VoteChannel.ONLINE), pool=pool, projects=[projects[1].pk])
    schedule(edition, "results")  # a stale edition in hand is the caller's; a fresh pool sees the phase closed
    with pytest.raises(PermissionDenied):
        voting.cast_ballot(
            voter=voting.Voter("u:3", VoteChannel.ONLINE), pool=Pool.objects.get(pk=pool.pk), projects=[projects[2].pk]
        )


def test_timestamps_would_be_a_day_at_most():
    assert timedelta(days=1)  # the register keeps a date only (VoterRecord.voted_on is a DateField)
    assert VoterRecord._meta.get_field("voted_on").get_internal_type() == "DateField"


def test_hashes_are_hmac_sha256_keyed_by_the_edition_salt_and_the_secret_key(settings):
    from django.utils.crypto import salted_hmac

    edition = make_edition(phase="voting")
    expected = salted_hmac(
        f"veche.budgeting.resident:{edition.residents_salt}", "8551011234", algorithm="sha256"
    ).hexdigest()
    assert voting.resident_hash(edition, "855101/1234") == expected
    settings.SECRET_KEY = "another-secret-key-of-sufficient-length-for-django-checks"
    assert voting.resident_hash(edition, "855101/1234") != expected
