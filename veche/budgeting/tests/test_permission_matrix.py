"""Every cell of the "Participatory budgeting" table in docs/domain/permissions.md, checked against the rules, and
the list querysets checked against the rules they must agree with, for every persona."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from veche.budgeting.choices import ProposalStatus
from veche.budgeting.models import Edition, Proposal
from veche.budgeting.tests.factories import PHASES, ProposalFactory, make_edition
from veche.core.testing.permission_table import expectations_for
from veche.core.testing.personas import PERSONA_NAMES
from veche.participation.tests.factories import ProcessFactory

EXPECTATIONS = expectations_for("budgeting.")

EDITION = re.compile(r"^edition(?: \((?P<details>[^)]*)\))?(?P<unpublished> of an unpublished process)?$")
PROPOSAL = re.compile(
    r"^(?:(?P<owner>\w+)'s )?proposal \((?P<details>[^)]*)\)(?P<unpublished> of an unpublished process)?$"
)


def _details(text: str | None) -> tuple[str, str | None, bool]:
    """ "rejected, appeals phase" → ("rejected", "appeals", False); "results phase, results published" → …"""
    status, phase, published = "", None, False
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        if item.endswith(" phase"):
            phase = item.removesuffix(" phase")
            assert phase in PHASES, f"unknown phase in the permissions table: {phase!r}"
        elif item == "results published":
            published = True
        else:
            status = item.replace(" ", "_")
            assert status in ProposalStatus.values, f"unknown status in the permissions table: {item!r}"
    return status, phase, published


def _edition(personas, *, phase: str | None, unpublished: bool, published_results: bool) -> Edition:
    process = ProcessFactory(organisation=personas.organisation, is_published=not unpublished)
    edition = make_edition(phase=phase or "submission", organisation=personas.organisation)
    # make_edition makes its own published process; move the module to the one this row asks for.
    module = edition.module
    module.process = process
    module.save(update_fields=["process"])
    if published_results:
        edition.results_published_at = timezone.now()
        edition.save(update_fields=["results_published_at"])
    return Edition.objects.with_timeline().get(pk=edition.pk)


def build(obj: str, personas):
    """The object a row of the table names, built fresh (and loaded the way the views load it)."""
    if match := EDITION.match(obj):
        status, phase, published = _details(match["details"])
        assert not status, obj
        return _edition(personas, phase=phase, unpublished=bool(match["unpublished"]), published_results=published)
    if match := PROPOSAL.match(obj):
        status, phase, _published = _details(match["details"])
        edition = _edition(personas, phase=phase, unpublished=bool(match["unpublished"]), published_results=False)
        author = personas.get(match["owner"]) if match["owner"] else None
        proposal = ProposalFactory(edition=edition, status=status or ProposalStatus.SUBMITTED, author=author)
        return Proposal.objects.with_edition().get(pk=proposal.pk)
    raise AssertionError(f"The permissions table names an object this test cannot build: {obj!r}")


def test_the_table_covers_every_budgeting_permission():
    import rules

    registered = {name for name in rules.permissions.permissions if name.startswith("budgeting.")}
    assert registered == {item.permission for item in EXPECTATIONS}


def test_every_phase_dependent_permission_has_a_row_in_and_out_of_its_phase():
    phase_rows = {item.permission for item in EXPECTATIONS if " phase" in item.obj}
    assert {
        "budgeting.add_proposal",
        "budgeting.change_proposal",
        "budgeting.sign_proposal",
        "budgeting.review_proposal",
        "budgeting.appeal_proposal",
        "budgeting.decide_appeal",
        "budgeting.vote",
        "budgeting.enter_paper_ballots",
        "budgeting.update_implementation",
    } <= phase_rows


@pytest.mark.django_db
@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=lambda item: item.id)
def test_permission_matrix(personas, expectation):
    obj = build(expectation.obj, personas)
    user = personas.get(expectation.persona)
    assert user.has_perm(expectation.permission, obj) is expectation.allowed


# --- list querysets agree with the rules ---------------------------------------------------------------------
@pytest.fixture
def proposals(personas):
    """Every status, in a published and an unpublished process of the personas' organisation and in another
    organisation's edition, written by the resident, by the expert or by nobody, with one co-authored draft."""
    made = []
    for organisation, unpublished in (
        (personas.organisation, False),
        (personas.organisation, True),
        (personas.other_organisation, False),
    ):
        edition = make_edition(phase="verification", organisation=organisation)
        if unpublished:
            edition.module.process.is_published = False
            edition.module.process.save(update_fields=["is_published"])
        made.extend(
            ProposalFactory(edition=edition, status=status, author=author)
            for status in ProposalStatus.values
            for author in (None, personas.resident, personas.expert)
        )
    co_written = ProposalFactory(edition=edition, status=ProposalStatus.DRAFT, author=personas.expert)
    co_written.co_authors.add(personas.member)
    made.append(co_written)
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_proposal_visible_to_agrees_with_view_proposal(personas, proposals, persona):
    user = personas.get(persona)
    loaded = Proposal.objects.with_edition().filter(pk__in=[proposal.pk for proposal in proposals])
    by_rule = {proposal.pk for proposal in loaded if user.has_perm("budgeting.view_proposal", proposal)}
    listed = list(Proposal.objects.visible_to(user).values_list("pk", flat=True))
    assert len(listed) == len(set(listed)), "visible_to returned duplicates"
    assert set(listed) == by_rule


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_edition_visible_to_agrees_with_view_edition(personas, proposals, persona):
    user = personas.get(persona)
    by_rule = {
        edition.pk for edition in Edition.objects.with_timeline() if user.has_perm("budgeting.view_edition", edition)
    }
    assert set(Edition.objects.visible_to(user).values_list("pk", flat=True)) == by_rule
