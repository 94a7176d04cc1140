"""Pabulib import into an edition and export of a pool: mapping, atomicity, line-numbered errors, round trips."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from veche.audit.models import AuditEntry
from veche.budgeting import pabulib
from veche.budgeting.choices import BallotType, Completion, CountingRule, EditionSource, PoolKind
from veche.budgeting.models import Ballot, Category, Edition, Pool, Proposal, VoterRecord
from veche.budgeting.services import results
from veche.budgeting.services.pabulib_io import export_pabulib, import_pabulib
from veche.budgeting.tests.factories import ProposalFactory, make_edition
from veche.participation.models import Module
from veche.participation.tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "pabulib"
REAL_FILES = [
    "Poland_Wieliczka_2023_Green_Budget.pb",
    "Poland_Katowice_2023_Welnowiec_-_Jozefowiec.pb",
    "Poland_Krakow_2025_Swoszowice.pb",
    "Poland_Gdynia_2022_Kamienna_Gora__small.pb",
    "Worldwide_Mechanical_Turk_Utilities_8.pb",
]

APPROVAL = '''META
key;value
description;Tiny town
country;Poland
unit;Tiny
subunit;North
budget;100
vote_type;approval
rule;greedy
currency;PLN
PROJECTS
project_id;cost;name;category;latitude;longitude;selected
1;60;"Park; with ""trees""";green,sport;50.03;15.2;1
2;50;Library;culture;;;0
3;39.5;Bench;green;;;1
VOTES
voter_id;vote;age;sex
a;1,2;30;F
b;1,3;41;M
c;3;22;F
'''

CUMULATIVE = """META
key;value
description;Points
budget;10
vote_type;cumulative
max_sum_points;5
PROJECTS
project_id;cost
x;6
y;4
z;3
VOTES
voter_id;vote;points
1;x,y;3,2
2;z,x;4.5,0.5
"""


@pytest.fixture
def process(personas):
    return ProcessFactory(organisation=personas.organisation)


def _key(vote: pabulib.Vote) -> tuple:
    return (vote.projects, vote.points, tuple(sorted(vote.fields.items())))


def assert_same_up_to_voters(left: pabulib.Instance, right: pabulib.Instance) -> None:
    """Equal but for the voter ids and the order of the votes; the export adds num_projects/num_votes if missing."""
    counts = {"num_projects": str(len(left.projects)), "num_votes": str(len(left.votes))}
    assert right.meta == {**counts, **left.meta}
    assert left.projects == right.projects
    assert left.project_columns == right.project_columns
    assert left.vote_columns == right.vote_columns
    assert sorted(map(_key, left.votes.values())) == sorted(map(_key, right.votes.values()))


def test_import_maps_meta_projects_and_votes(personas, process):
    edition = import_pabulib(actor=personas.coordinator, process=process, data=APPROVAL.encode(), title="Tiny 2024")
    assert edition.source == EditionSource.PABULIB
    assert str(edition) == "Tiny 2024"
    assert edition.ballot_type == BallotType.APPROVAL
    assert edition.counting_rule == CountingRule.GREEDY
    assert edition.currency == "PLN"
    assert edition.secret_ballot
    assert edition.total_budget == Decimal(100)
    pool = edition.pools.get()
    assert (pool.name, pool.kind, pool.budget) == ("North", PoolKind.DISTRICT, Decimal(100))
    assert pool.pabulib_meta["rule"] == "greedy"
    park, library, bench = Proposal.objects.filter(edition=edition).order_by("number")
    assert (park.external_id, park.title, park.cost) == ("1", 'Park; with "trees"', Decimal(60))
    assert bench.cost == Decimal("39.50")
    assert (park.latitude, park.longitude) == (Decimal("50.030000"), Decimal("15.200000"))
    assert library.latitude is None
    assert park.category.name == "green" and library.category.name == "culture"
    assert set(Category.objects.filter(edition=edition).values_list("name", flat=True)) == {"green", "sport", "culture"}
    assert park.extra["selected"] == "1"
    ballots = list(Ballot.objects.filter(pool=pool))
    assert len(ballots) == 3
    assert sorted(b.projects for b in ballots) == sorted([[park.pk, library.pk], [park.pk, bench.pk], [bench.pk]])
    assert {b.extra["age"] for b in ballots} == {"30", "41", "22"}
    assert all(b.voter_key == "" and len(b.receipt) == 11 for b in ballots)
    assert not VoterRecord.objects.exists()
    assert AuditEntry.objects.filter(action="budgeting.pabulib_imported").count() == 1


def test_imported_edition_counts_and_checks_the_official_result(personas, process):
    edition = import_pabulib(actor=personas.coordinator, process=process, data=APPROVAL, title="Tiny")
    result = results.count_pool(actor=personas.coordinator, pool=edition.pools.get())
    funded = {row["project_id"] for row in result.outcome if row["funded"]}
    assert funded == {"1", "3"}
    assert result.official_check["reproduces"] is True


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (APPROVAL.replace("3;39.5;Bench", "3;forty;Bench"), 15, "is not a number"),
        (APPROVAL.replace("c;3;22;F", "c;9;22;F"), 20, "unknown project '9'"),
        (APPROVAL.replace("budget;100", "budget;lots"), 12, "budget"),
        (APPROVAL.replace("b;1,3;41;M", "b;1,3;41"), 19, "cells"),
    ],
)
def test_a_malformed_file_names_the_line_and_leaves_nothing(personas, process, text, line, problem):
    with pytest.raises(ValidationError) as caught:
        import_pabulib(actor=personas.coordinator, process=process, data=text, title="Broken")
    message = caught.value.messages[0]
    assert message.startswith(f"Line {line}:") and problem in message
    assert not Module.objects.filter(process=process).exists()
    assert not Edition.objects.exists() and not Proposal.objects.exists() and not Ballot.objects.exists()


def test_a_failure_half_way_rolls_everything_back(personas, process, monkeypatch):
    """Ballots are written last, in batches; a failure there must not leave the module, pool or proposals."""
    from veche.budgeting.services import pabulib_io

    monkeypatch.setattr(pabulib_io, "BATCH", 1)
    calls = []
    real = Ballot.objects.bulk_create

    def failing(rows, *args, **kwargs):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(rows, *args, **kwargs)

    monkeypatch.setattr(Ballot.objects, "bulk_create", failing)
    with pytest.raises(RuntimeError):
        import_pabulib(actor=personas.coordinator, process=process, data=APPROVAL, title="Half")
    assert calls[0] == 1
    assert not Module.objects.filter(process=process).exists()
    assert not Pool.objects.exists() and not Proposal.objects.exists() and not Ballot.objects.exists()


def test_money_that_cannot_be_stored_is_refused(personas, process):
    text = APPROVAL.replace("3;39.5;Bench", "3;39.125;Bench")
    with pytest.raises(ValidationError, match="project 3"):
        import_pabulib(actor=personas.coordinator, process=process, data=text, title="Cents")
    assert not Edition.objects.exists()


def test_not_utf8_is_refused(personas, process):
    with pytest.raises(ValidationError, match="UTF-8"):
        import_pabulib(actor=personas.coordinator, process=process, data=b"META\n\xff\xfe", title="x")


def test_only_staff_of_the_process_may_import(personas, process):
    with pytest.raises(PermissionDenied):
        import_pabulib(actor=personas.resident, process=process, data=APPROVAL, title="x")
    with pytest.raises(PermissionDenied):
        import_pabulib(actor=personas.other_administrator, process=process, data=APPROVAL, title="x")


@pytest.mark.parametrize("text", [APPROVAL, CUMULATIVE])
def test_round_trip_of_synthetic_files(personas, process, text):
    edition = import_pabulib(actor=personas.coordinator, process=process, data=text, title="Round trip")
    exported = export_pabulib(edition.pools.get())
    assert_same_up_to_voters(pabulib.parse(text), pabulib.parse(exported))
    assert list(pabulib.parse(exported).votes) == [str(n) for n in range(1, len(pabulib.parse(text).votes) + 1)]


def test_cumulative_import_keeps_exact_points(personas, process):
    edition = import_pabulib(actor=personas.coordinator, process=process, data=CUMULATIVE, title="Points")
    assert edition.ballot_type == BallotType.CUMULATIVE and edition.points_per_voter == 5
    points = sorted((tuple(b.points) for b in Ballot.objects.filter(pool__edition=edition)), key=str)
    assert points == [("4.5", "0.5"), (3, 2)]
    result = results.count_pool(actor=personas.coordinator, pool=edition.pools.get())
    scores = {row["project_id"]: row["score"] for row in result.outcome}
    assert scores == {"x": "3.5", "y": "2", "z": "4.5"}


@pytest.mark.parametrize("name", REAL_FILES)
def test_round_trip_of_real_files(personas, process, name):
    path = DATA / name
    if not path.exists():
        pytest.skip("the shared Pabulib files are not here")
    original = pabulib.parse_file(path)
    edition = import_pabulib(actor=personas.coordinator, process=process, data=path.read_bytes(), title=name)
    exported = pabulib.parse(export_pabulib(edition.pools.get()))
    assert_same_up_to_voters(original, exported)


def test_wieliczka_imports_with_its_rule_and_reproduces_the_official_result(personas, process):
    path = DATA / "Poland_Wieliczka_2023_Green_Budget.pb"
    if not path.exists():
        pytest.skip("the shared Pabulib files are not here")
    edition = import_pabulib(actor=personas.coordinator, process=process, data=path.read_bytes(), title="Wieliczka")
    assert (edition.counting_rule, edition.completion) == (CountingRule.MES, Completion.ADD1_LAST_FEASIBLE)
    result = results.count_pool(actor=personas.coordinator, pool=edition.pools.get())
    assert result.ballots == 6586
    assert result.official_check["reproduces"] is True


def test_export_of_a_pool_run_on_veche(personas):
    edition = make_edition(phase="voting", organisation=personas.organisation, ballot_type=BallotType.CUMULATIVE)
    pool = edition.pools.get()
    one = ProposalFactory(edition=edition, title="Trees", cost_estimate=Decimal(30_000), verified_cost=Decimal(35_000))
    two = ProposalFactory(edition=edition, title="Bench; big", cost_estimate=Decimal(10_000))
    ProposalFactory(edition=edition, title="Rejected", status="rejected")
    Ballot.objects.create(pool=pool, receipt="BBBBB-BBBBB", channel="online", projects=[two.pk], points=[2])
    Ballot.objects.create(pool=pool, receipt="AAAAA-AAAAA", channel="online", projects=[one.pk, two.pk], points=[3, 1])
    text = export_pabulib(pool)
    parsed = pabulib.parse(text)
    assert parsed.meta["budget"] == "100000" and parsed.meta["vote_type"] == "cumulative"
    assert parsed.meta["num_projects"] == "2" and parsed.meta["num_votes"] == "2"
    assert parsed.meta["currency"] == "CZK" and parsed.meta["rule"] == "greedy"
    assert parsed.projects[str(one.number)].cost == Fraction(35_000)
    assert parsed.projects[str(two.number)].name == "Bench; big"
    assert "selected" not in parsed.project_columns
    first, second = parsed.votes.values()
    assert (first.voter_id, first.projects, first.points) == ("1", (str(one.number), str(two.number)), (3, 1))
    assert second.projects == (str(two.number),)


# --- the upload page and its task ------------------------------------------------------------------------------------


def _upload(text: str, name: str = "tiny.pb"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def test_import_page_runs_the_task_and_leads_to_the_count(client, personas, django_capture_on_commit_callbacks):
    from django.urls import reverse

    url = reverse("budgeting:import", args=[personas.organisation.slug])
    client.force_login(personas.resident)
    assert client.get(url).status_code == 403
    client.force_login(personas.coordinator)
    assert client.get(url).status_code == 200
    data = {"process": "new", "new_process_title": "Analyses", "title": "Tiny 2024", "file": _upload(APPROVAL)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302 and "?job=" in response["Location"]
    edition = Edition.objects.get()
    assert str(edition) == "Tiny 2024" and edition.module.process.title == "Analyses"
    done = client.get(response["Location"])
    assert done.status_code == 302 and done["Location"] == reverse("budgeting:count", args=[edition.pk])


def test_import_page_shows_the_line_of_the_problem(client, personas, process, django_capture_on_commit_callbacks):
    from django.urls import reverse

    url = reverse("budgeting:import", args=[personas.organisation.slug])
    client.force_login(personas.coordinator)
    broken = APPROVAL.replace("c;3;22;F", "c;9;22;F")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"process": str(process.pk), "file": _upload(broken)})
    page = client.get(response["Location"]).content.decode()
    assert (
        "nothing was saved" in page and "Line 20: voter &#x27;c&#x27; votes for unknown project &#x27;9&#x27;" in page
    )
    assert not Edition.objects.exists()
    other = client.post(url, {"process": str(process.pk), "file": _upload(APPROVAL, "tiny.csv")})
    assert "ends in .pb" in other.content.decode()
