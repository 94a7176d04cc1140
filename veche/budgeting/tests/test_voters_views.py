"""The office's voting pages: who may open them, the residents' list, voting codes and paper batches."""

from __future__ import annotations

import csv
import io
import time

import pytest
from django.urls import reverse

from veche.audit.models import AuditEntry
from veche.budgeting.choices import BallotType, Eligibility, VoteChannel
from veche.budgeting.models import Ballot, PaperBatch, ResidentEntry, VoterRecord, VotingCode
from veche.budgeting.services import voting
from veche.budgeting.services.voters import upload_residents
from veche.budgeting.tests.factories import ProposalFactory, make_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(personas):
    return make_edition(
        phase="voting",
        organisation=personas.organisation,
        pools=3,
        eligibility=Eligibility.RESIDENTS,
        allow_voting_codes=True,
        allow_paper=True,
        secret_ballot=True,
    )


def _url(name, edition, **kwargs):
    return reverse(f"budgeting:{name}", kwargs={"edition_id": edition.pk, **kwargs})


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("resident", 403),
        ("member", 403),
        ("expert", 403),
        ("moderator", 403),
        ("coordinator", 200),
        ("administrator", 200),
        ("other_administrator", 403),
        ("superuser", 200),
    ],
)
@pytest.mark.parametrize("page", ["voters", "residents_upload", "codes", "paper_batches"])
def test_who_may_open_the_voters_pages(client, personas, edition, persona, status, page):
    user = personas.get(persona)
    if user.is_authenticated:
        client.force_login(user)
    response = client.get(_url(page, edition))
    assert response.status_code == status
    if status == 302:
        assert "/accounts/login/" in response["Location"] or "login" in response["Location"]


def test_the_hub_counts_the_register_per_pool_and_channel(client, personas, edition, django_assert_num_queries):
    citywide, district, _other = edition.pools.order_by("weight")
    project = ProposalFactory(edition=edition, pool=citywide)
    code = VotingCode.objects.create(edition=edition, code_hash="x" * 64)  # cast_ballot checks the code exists
    for key, channel in [("u:1", VoteChannel.ONLINE), ("u:2", VoteChannel.ONLINE), (f"c:{code.pk}", VoteChannel.CODE)]:
        voting.cast_ballot(voter=voting.Voter(key, channel), pool=citywide, projects=[project.pk])
    client.force_login(personas.coordinator)
    client.get(_url("voters", edition))
    with django_assert_num_queries(11):
        response = client.get(_url("voters", edition))
    html = response.content.decode()
    assert "3 ballots cast so far." in html
    assert "The ballot is secret" in html
    rows = response.context["pools"]
    assert [(row["pool"], row["total"]) for row in rows] == [(citywide, 3), (district, 0), (_other, 0)]
    assert dict(rows[0]["channels"])["Online"] == 2


def _csv(lines):
    return io.BytesIO("\n".join(lines).encode())


def test_uploading_the_residents_list_stores_only_hashes(client, personas, edition):
    client.force_login(personas.coordinator)
    upload = _csv(["identifier,district", "855101/1234,District 1", "9001011111", "", "7001019999,district 2"])
    upload.name = "residents.csv"
    response = client.post(_url("residents_upload", edition), {"file": upload})
    assert response.status_code == 302
    assert ResidentEntry.objects.filter(edition=edition).count() == 3
    stored = list(ResidentEntry.objects.values_list("identifier_hash", flat=True))
    assert voting.resident_hash(edition, "8551011234") in stored
    assert not any("855101" in value for value in stored)
    assert ResidentEntry.objects.get(identifier_hash=voting.resident_hash(edition, "7001019999")).district.name == (
        "District 2"
    )
    entry = AuditEntry.objects.get(action="budgeting.residents_uploaded")
    assert entry.data == {"residents": 3, "districts": 2, "replaced": 0}
    assert "855101" not in str(entry.data)


def test_a_bad_residents_list_is_refused_line_by_line_and_changes_nothing(client, personas, edition):
    upload_residents(actor=personas.coordinator, edition=edition, data="111\n222\n")
    client.force_login(personas.coordinator)
    upload = _csv(["333", "444,Nowhere", "333", "a,b,c", " - "])
    upload.name = "residents.csv"
    response = client.post(_url("residents_upload", edition), {"file": upload})
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors == [
        "Line 2: there is no district pool called “Nowhere”.",
        "Line 3: the same identifier as on line 1.",
        "Line 4: expected an identifier and at most a district.",
        "Line 5: the identifier is empty.",
    ]
    assert ResidentEntry.objects.filter(edition=edition).count() == 2  # the old list stands


def test_reuploading_replaces_the_list(personas, edition):
    upload_residents(actor=personas.coordinator, edition=edition, data="111\n222\n")
    counts = upload_residents(actor=personas.coordinator, edition=edition, data="333;District 1\n")
    assert counts == {"residents": 1, "districts": 1}
    assert list(ResidentEntry.objects.values_list("identifier_hash", flat=True)) == [
        voting.resident_hash(edition, "333")
    ]


def test_a_50000_line_list_uploads_in_a_few_seconds(personas, edition):
    data = "\n".join(str(1_000_000 + n) for n in range(50_000))
    started = time.perf_counter()
    upload_residents(actor=personas.coordinator, edition=edition, data=data)
    assert ResidentEntry.objects.filter(edition=edition).count() == 50_000
    assert time.perf_counter() - started < 15


def test_codes_are_the_answer_to_the_generate_post_and_kept_nowhere(client, personas, edition):
    client.force_login(personas.coordinator)
    download = client.post(_url("codes", edition), {"action": "generate", "batch": "Letters, district 1", "count": 25})
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == ["batch", "code"] and len(rows) == 26
    codes = [code for _batch, code in rows[1:]]
    assert len(set(codes)) == 25 and all(len(code) == 14 for code in codes)
    # Only hashes are stored, and each code works.
    assert not VotingCode.objects.filter(code_hash__in=codes).exists()
    assert voting.voter_for_code(edition=edition, code=codes[0]).channel == VoteChannel.CODE
    # Nothing is kept in the session (or anywhere): the codes appear nowhere in it.
    session = str(dict(client.session.items()))
    assert not any(code in session for code in codes)
    assert not any(key.startswith("budgeting.new") for key in client.session.keys())  # noqa: SIM118 - a session is not iterable
    entry = AuditEntry.objects.get(action="budgeting.codes_generated")
    assert entry.data == {"batch": "Letters, district 1", "count": 25}
    assert not any(code in str(entry.data) for code in codes)


def test_revoking_a_batch(client, personas, edition):
    from veche.budgeting.services.voters import generate_codes

    codes = generate_codes(actor=personas.coordinator, edition=edition, count=3, batch="Lost letters")
    generate_codes(actor=personas.coordinator, edition=edition, count=2, batch="Library")
    client.force_login(personas.coordinator)
    response = client.post(_url("codes", edition), {"action": "revoke", "batch": "Lost letters"}, follow=True)
    assert "3 codes of “Lost letters” revoked." in response.content.decode()
    batches = {batch.label: batch for batch in response.context["batches"]}
    assert (batches["Lost letters"].revoked, batches["Library"].revoked) == (3, 0)
    with pytest.raises(Exception, match="withdrawn"):
        voting.voter_for_code(edition=edition, code=codes[0])
    assert AuditEntry.objects.filter(action="budgeting.codes_revoked").get().data == {
        "batch": "Lost letters",
        "count": 3,
    }


def test_the_codes_page_query_count_does_not_grow(client, personas, edition, django_assert_num_queries):
    from veche.budgeting.services.voters import generate_codes

    client.force_login(personas.coordinator)
    generate_codes(actor=personas.coordinator, edition=edition, count=1, batch="A")
    client.get(_url("codes", edition))
    with django_assert_num_queries(7) as one:
        client.get(_url("codes", edition))
    for label in "BCDEF":
        generate_codes(actor=personas.coordinator, edition=edition, count=3, batch=label)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(_url("codes", edition))


def test_typing_in_a_paper_batch(client, personas, edition):
    citywide = edition.pools.order_by("weight").first()
    a = ProposalFactory(edition=edition, pool=citywide, number=12)
    b = ProposalFactory(edition=edition, pool=citywide, number=45)
    upload_residents(actor=personas.coordinator, edition=edition, data="777\n")
    client.force_login(personas.coordinator)
    response = client.post(_url("paper_batches", edition), {"label": "Library, box 1", "sheets": 3})
    batch = PaperBatch.objects.get()
    assert response["Location"] == _url("paper_batch", edition, batch_id=batch.pk)
    page = _url("paper_batch", edition, batch_id=batch.pk)

    response = client.post(
        page, {"action": "enter", "pool": citywide.pk, "numbers": "12, 45", "resident_identifier": ""}
    )
    assert response.status_code == 302
    assert Ballot.objects.get().projects == [a.pk, b.pk]
    # A resident's identifier blocks them from voting again, online or on paper.
    client.post(page, {"action": "enter", "pool": citywide.pk, "numbers": "12", "resident_identifier": "777"})
    response = client.post(
        page, {"action": "enter", "pool": citywide.pk, "numbers": "45", "resident_identifier": "777"}
    )
    assert response.status_code == 200
    assert "You have already voted in Citywide." in response.context["form"].errors["numbers"]
    response = client.post(page, {"action": "enter", "pool": citywide.pk, "numbers": "99", "resident_identifier": "7"})
    assert response.context["form"].errors["resident_identifier"] == ["This identifier is not on the residents' list."]
    response = client.post(
        page, {"action": "enter", "pool": citywide.pk, "numbers": "12, x", "resident_identifier": ""}
    )
    assert response.context["form"].errors["numbers"] == ["“x” is not a project number."]
    response = client.post(page, {"action": "enter", "pool": citywide.pk, "numbers": "99", "resident_identifier": ""})
    assert "not on this pool's ballot" in response.context["form"].errors["numbers"][0]
    response = client.post(
        page, {"action": "enter", "pool": citywide.pk, "numbers": "45", "resident_identifier": ""}, follow=True
    )
    assert "All the sheets are in; the batch is closed." in response.content.decode()
    batch.refresh_from_db()
    assert batch.closed_at is not None
    assert VoterRecord.objects.filter(channel=VoteChannel.PAPER).count() == Ballot.objects.count() == 3
    assert set(Ballot.objects.values_list("voter_key", flat=True)) == {""}
    actions = list(AuditEntry.objects.filter(action__startswith="budgeting.paper").values_list("action", flat=True))
    assert "budgeting.paper_ballot_entered" not in actions  # no per-sheet entries (timestamps, sequence)
    assert {"budgeting.paper_batch_created", "budgeting.paper_batch_closed"} <= set(actions)


def test_closing_a_batch_early(client, personas, edition):
    client.force_login(personas.coordinator)
    client.post(_url("paper_batches", edition), {"label": "Box 2", "sheets": 10})
    batch = PaperBatch.objects.get()
    response = client.post(_url("paper_batch", edition, batch_id=batch.pk), {"action": "close"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.closed_at is not None
    assert AuditEntry.objects.get(action="budgeting.paper_batch_closed").data == {"entered": 0, "sheets": 10}
    page = client.get(_url("paper_batch", edition, batch_id=batch.pk))
    assert "This batch is closed." in page.content.decode()


def test_cumulative_paper_ballots_take_points(client, personas):
    edition = make_edition(
        phase="voting",
        organisation=personas.organisation,
        allow_paper=True,
        ballot_type=BallotType.CUMULATIVE,
        points_per_voter=5,
    )
    a = ProposalFactory(edition=edition, number=3)
    b = ProposalFactory(edition=edition, number=4)
    client.force_login(personas.coordinator)
    client.post(_url("paper_batches", edition), {"label": "Box", "sheets": 5})
    page = _url("paper_batch", edition, batch_id=PaperBatch.objects.get().pk)
    pool = edition.pools.get()
    client.post(page, {"action": "enter", "pool": pool.pk, "numbers": "3:2, 4 : 3"})
    ballot = Ballot.objects.get()
    assert (ballot.projects, ballot.points) == ([a.pk, b.pk], [2, 3])
    response = client.post(page, {"action": "enter", "pool": pool.pk, "numbers": "3:4, 4:3"})
    assert response.context["form"].errors["numbers"] == ["You gave 7 points, but you have 5 to share out."]


def test_paper_entry_is_refused_outside_the_voting_phase(client, personas):
    edition = make_edition(phase="results", organisation=personas.organisation, allow_paper=True)
    client.force_login(personas.coordinator)
    assert client.post(_url("paper_batches", edition), {"label": "Box", "sheets": 5}).status_code == 403
    assert not PaperBatch.objects.exists()
