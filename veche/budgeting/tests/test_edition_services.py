"""Edition set-up services: the rules tying settings together, pools within the budget, frozen voting settings once
a ballot exists, and an audit entry for every change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from veche.audit.models import AuditEntry
from veche.budgeting.choices import BallotType, CountingRule, Eligibility, PoolKind
from veche.budgeting.models import Ballot, Category, Pool
from veche.budgeting.services import editions as services
from veche.budgeting.services.editions import EDITION_FIELDS, settings_problems
from veche.budgeting.tests.factories import CategoryFactory, ProposalFactory, make_edition

pytestmark = pytest.mark.django_db


def values_of(edition, **changes):
    values = {name: getattr(edition, name) for name in EDITION_FIELDS}
    values.update(changes)
    return values


# --- the pure rules ------------------------------------------------------------------------------------------------
BASE = {
    "currency": "CZK",
    "ballot_type": BallotType.KNAPSACK,
    "counting_rule": CountingRule.GREEDY,
    "completion": "none",
    "eligibility": Eligibility.ACCOUNT,
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"counting_rule": CountingRule.GREEDY, "threshold": 10}, "threshold"),
        ({"counting_rule": CountingRule.GREEDY_THRESHOLD}, "threshold"),
        ({"completion": "add1"}, "completion"),
        ({"fill_greedy": True}, "fill_greedy"),
        ({"ballot_type": BallotType.CUMULATIVE}, "points_per_voter"),
        (
            {"ballot_type": BallotType.CUMULATIVE, "points_per_voter": 5, "max_points_per_project": 6},
            "max_points_per_project",
        ),
        ({"points_per_voter": 5}, "points_per_voter"),
        ({"max_choices": 3}, "max_choices"),
        ({"ballot_type": BallotType.APPROVAL, "max_choices": 0}, "max_choices"),
        ({"eligibility": Eligibility.MINIMUM_AGE}, "minimum_age"),
        ({"minimum_age": 16}, "minimum_age"),
        ({"currency": "czk1"}, "currency"),
        ({"bounds_south": Decimal(50)}, "bounds_south"),
        (
            {"bounds_south": Decimal(51), "bounds_west": 14, "bounds_north": Decimal(50), "bounds_east": 15},
            "bounds_north",
        ),
    ],
)
def test_settings_problems_name_the_field_to_correct(changes, field):
    assert field in settings_problems({**BASE, **changes})


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"counting_rule": CountingRule.GREEDY_THRESHOLD, "threshold": 0},
        {"counting_rule": CountingRule.MES, "completion": "add1-last-feasible", "fill_greedy": True},
        {"ballot_type": BallotType.CUMULATIVE, "points_per_voter": 10, "max_points_per_project": 3},
        {"ballot_type": BallotType.RANKING, "max_choices": 5, "counting_rule": CountingRule.MES},
        {"eligibility": Eligibility.MINIMUM_AGE, "minimum_age": 15},
        {"bounds_south": 49.9, "bounds_west": 14.2, "bounds_north": 50.2, "bounds_east": 14.7},
    ],
)
def test_valid_combinations_have_no_problems(changes):
    assert settings_problems({**BASE, **changes}) == {}


# --- update_edition ------------------------------------------------------------------------------------------------
def test_coordinator_updates_settings_and_the_change_is_audited(personas):
    edition = make_edition(organisation=personas.organisation)
    services.update_edition(
        actor=personas.coordinator,
        edition=edition,
        values=values_of(edition, rules_text="Be nice.", counting_rule=CountingRule.MES, completion="add1"),
    )
    edition.refresh_from_db()
    assert edition.counting_rule == CountingRule.MES and edition.completion == "add1"
    entry = AuditEntry.objects.get(action="budgeting.edition_updated")
    assert sorted(entry.data["fields"]) == ["completion", "counting_rule", "rules_text"]
    assert entry.organisation_id == personas.organisation.pk and entry.actor_id == personas.coordinator.pk


def test_nothing_changed_records_nothing(personas):
    edition = make_edition(organisation=personas.organisation)
    services.update_edition(actor=personas.coordinator, edition=edition, values=values_of(edition))
    assert not AuditEntry.objects.filter(action="budgeting.edition_updated").exists()


@pytest.mark.parametrize("persona", ["anonymous", "resident", "member", "expert", "moderator", "other_administrator"])
def test_only_coordinators_and_administrators_set_up_an_edition(personas, persona):
    edition = make_edition(organisation=personas.organisation)
    with pytest.raises(PermissionDenied):
        services.update_edition(actor=personas.get(persona), edition=edition, values={"rules_text": "x"})


def test_invalid_combination_is_refused_by_the_service_too(personas):
    edition = make_edition(organisation=personas.organisation)
    with pytest.raises(ValidationError) as error:
        services.update_edition(actor=personas.coordinator, edition=edition, values={"threshold": 5})
    assert "threshold" in error.value.message_dict


def test_total_budget_cannot_drop_below_the_pools(personas):
    edition = make_edition(organisation=personas.organisation, pools=2)  # 2 × 100,000
    with pytest.raises(ValidationError) as error:
        services.update_edition(actor=personas.coordinator, edition=edition, values={"total_budget": Decimal(150_000)})
    assert "200000" in error.value.message_dict["total_budget"][0]


def test_voting_settings_are_frozen_once_a_ballot_exists(personas):
    edition = make_edition(organisation=personas.organisation, phase="voting")
    Ballot.objects.create(pool=edition.pools.first(), receipt="R1", channel="online", projects=[])
    with pytest.raises(ValidationError) as error:
        services.update_edition(
            actor=personas.coordinator, edition=edition, values={"counting_rule": CountingRule.PHRAGMEN}
        )
    assert "Voting has started" in error.value.message_dict["counting_rule"][0]
    # Other settings still change.
    services.update_edition(actor=personas.coordinator, edition=edition, values={"rules_text": "Updated."})
    edition.refresh_from_db()
    assert edition.rules_text == "Updated." and edition.counting_rule == CountingRule.GREEDY


# --- pools -----------------------------------------------------------------------------------------------------
def test_pools_stay_within_the_total_budget(personas):
    edition = make_edition(organisation=personas.organisation, total_budget=Decimal(150_000))
    pool = services.add_pool(
        actor=personas.coordinator, edition=edition, name="North", kind=PoolKind.DISTRICT, budget=Decimal(50_000)
    )
    assert pool.weight == 1
    with pytest.raises(ValidationError) as error:
        services.add_pool(
            actor=personas.coordinator, edition=edition, name="South", kind=PoolKind.DISTRICT, budget=Decimal(1)
        )
    assert "more than the total budget" in error.value.message_dict["budget"][0]
    assert AuditEntry.objects.filter(action="budgeting.pool_added").count() == 1


def test_at_most_one_citywide_pool_and_unique_names(personas):
    edition = make_edition(organisation=personas.organisation, total_budget=Decimal(500_000))
    with pytest.raises(ValidationError) as error:
        services.add_pool(
            actor=personas.coordinator, edition=edition, name="Whole city", kind=PoolKind.CITYWIDE, budget=Decimal(1)
        )
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_pool(
            actor=personas.coordinator, edition=edition, name="Citywide", kind=PoolKind.DISTRICT, budget=Decimal(1)
        )
    assert "name" in error.value.message_dict


def test_pool_in_use_keeps_its_kind_and_cannot_be_deleted(personas):
    edition = make_edition(organisation=personas.organisation, pools=2, total_budget=Decimal(300_000))
    pool = Pool.objects.get(edition=edition, kind=PoolKind.DISTRICT)
    pool.edition = edition
    ProposalFactory(edition=edition, pool=pool)
    with pytest.raises(ValidationError):
        services.delete_pool(actor=personas.coordinator, pool=pool)
    with pytest.raises(ValidationError) as error:
        services.update_pool(actor=personas.coordinator, pool=pool, name=pool.name, kind="citywide", budget=pool.budget)
    assert "kind" in error.value.message_dict
    services.update_pool(actor=personas.coordinator, pool=pool, name="Old town", kind=pool.kind, budget=Decimal(90_000))
    pool.refresh_from_db()
    assert pool.name == "Old town" and pool.budget == Decimal(90_000)
    entry = AuditEntry.objects.get(action="budgeting.pool_updated")
    assert set(entry.data["changes"]) == {"name", "budget"}


def test_unused_pool_is_deleted_and_audited(personas):
    edition = make_edition(organisation=personas.organisation, pools=2, total_budget=Decimal(300_000))
    pool = Pool.objects.get(edition=edition, kind=PoolKind.DISTRICT)
    pool.edition = edition
    services.delete_pool(actor=personas.administrator, pool=pool)
    assert not Pool.objects.filter(pk=pool.pk).exists()
    assert AuditEntry.objects.get(action="budgeting.pool_deleted").data["name"] == "District 1"


def test_pool_budget_is_frozen_once_voting_started(personas):
    edition = make_edition(organisation=personas.organisation, phase="voting")
    pool = edition.pools.first()
    Ballot.objects.create(pool=pool, receipt="R2", channel="online", projects=[])
    with pytest.raises(ValidationError) as error:
        services.update_pool(actor=personas.coordinator, pool=pool, name=pool.name, kind=pool.kind, budget=Decimal(5))
    assert "budget" in error.value.message_dict


# --- categories ------------------------------------------------------------------------------------------------
def test_categories_are_added_renamed_and_deleted_with_audit(personas):
    edition = make_edition(organisation=personas.organisation)
    category = services.add_category(actor=personas.coordinator, edition=edition, name="Green")
    with pytest.raises(ValidationError):
        services.add_category(actor=personas.coordinator, edition=edition, name="Green")
    services.rename_category(actor=personas.coordinator, category=category, name="Greenery")
    assert Category.objects.get(pk=category.pk).name == "Greenery"
    services.delete_category(actor=personas.coordinator, category=category)
    assert not Category.objects.filter(pk=category.pk).exists()
    actions = list(AuditEntry.objects.filter(action__startswith="budgeting.category").values_list("action", flat=True))
    assert sorted(actions) == ["budgeting.category_added", "budgeting.category_deleted", "budgeting.category_renamed"]


def test_category_in_use_cannot_be_deleted(personas):
    edition = make_edition(organisation=personas.organisation)
    category = CategoryFactory(edition=edition)
    ProposalFactory(edition=edition, category=category)
    with pytest.raises(ValidationError):
        services.delete_category(actor=personas.coordinator, category=category)
