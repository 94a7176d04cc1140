"""Edition pages through the client: the public page with its calls to action per phase and persona, the set-up
pages (403/404 by persona, errors explained, saved through the services), the archive and the organisation page's
section, and the process page's link to the edition. Query counts do not grow with the rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from veche.audit.models import AuditEntry
from veche.budgeting.choices import CountingRule, PoolKind
from veche.budgeting.models import Ballot, Category, Pool
from veche.budgeting.tests.factories import CategoryFactory, ProposalFactory, make_edition
from veche.participation.tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


def edition_url(name, edition, *args):
    return reverse(f"budgeting:{name}", args=[edition.pk, *args])


# --- the public page ---------------------------------------------------------------------------------------------
def test_edition_page_shows_money_timeline_and_the_current_phase(client, personas):
    edition = make_edition(organisation=personas.organisation, rules_text="Projects must be public.")
    CategoryFactory(edition=edition, name="Greenery")
    ProposalFactory(edition=edition)
    page = client.get(edition.get_absolute_url()).content.decode()
    assert "Budget 2027" in page and "Home Town" in page
    assert "100,000" in page and "Citywide" in page and "Greenery" in page
    assert "Projects must be public." in page
    assert 'aria-current="step"' in page and "Submission of proposals" in page
    assert "Sign in to submit a proposal" in page
    assert reverse("budgeting:proposals", args=[edition.pk]) in page
    assert edition_url("edition_settings", edition) not in page


def test_calls_to_action_follow_phase_and_persona(client, personas):
    edition = make_edition(organisation=personas.organisation)
    page = signed_in(client, personas.resident).get(edition.get_absolute_url()).content.decode()
    assert reverse("budgeting:proposal_create", args=[edition.pk]) in page
    staff = signed_in(client, personas.coordinator).get(edition.get_absolute_url()).content.decode()
    assert edition_url("edition_settings", edition) in staff
    assert edition_url("review_queue", edition) in staff
    voting = make_edition(organisation=personas.organisation, phase="voting")
    page = client.get(voting.get_absolute_url()).content.decode()
    assert reverse("budgeting:proposal_create", args=[voting.pk]) not in page
    assert "Sign in to submit" not in page
    assert edition_url("vote", voting) in page


def test_unpublished_edition_is_404_for_the_public(client, personas):
    edition = make_edition(organisation=personas.organisation)
    edition.module.process.is_published = False
    edition.module.process.save()
    assert client.get(edition.get_absolute_url()).status_code == 404
    assert signed_in(client, personas.coordinator).get(edition.get_absolute_url()).status_code == 200


def test_process_page_links_the_budget_module_to_its_edition(client, personas):
    edition = make_edition(organisation=personas.organisation)
    page = client.get(edition.module.process.get_absolute_url()).content.decode()
    assert f'href="{edition.get_absolute_url()}"' in page


# --- set-up --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("resident", 403), ("expert", 403), ("coordinator", 200), ("administrator", 200)],
)
def test_settings_page_by_persona(client, personas, persona, status):
    edition = make_edition(organisation=personas.organisation)
    response = signed_in(client, personas.get(persona)).get(edition_url("edition_settings", edition))
    assert response.status_code == status


def test_settings_are_saved_and_audited(client, personas):
    edition = make_edition(organisation=personas.organisation)
    signed_in(client, personas.coordinator)
    form = client.get(edition_url("edition_settings", edition)).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields}
    data.update({"counting_rule": CountingRule.MES, "completion": "add1", "currency": "pln", "rules_text": "New"})
    data = {name: value for name, value in data.items() if value is not False}
    response = client.post(edition_url("edition_settings", edition), data)
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.counting_rule == CountingRule.MES and edition.currency == "PLN"
    assert AuditEntry.objects.filter(action="budgeting.edition_updated").exists()


def test_invalid_settings_are_explained(client, personas):
    edition = make_edition(organisation=personas.organisation)
    signed_in(client, personas.coordinator)
    form = client.get(edition_url("edition_settings", edition)).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields}
    data = {name: value for name, value in data.items() if value is not False}
    data.update({"threshold": "50", "fill_greedy": "on"})
    response = client.post(edition_url("edition_settings", edition), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "minimum support applies only" in page and "only to the Method of Equal Shares" in page
    assert 'aria-invalid="true"' in page
    edition.refresh_from_db()
    assert edition.threshold is None


def test_voting_started_warning_and_refusal(client, personas):
    edition = make_edition(organisation=personas.organisation, phase="voting")
    Ballot.objects.create(pool=edition.pools.first(), receipt="R9", channel="online", projects=[])
    signed_in(client, personas.coordinator)
    response = client.get(edition_url("edition_settings", edition))
    assert "Voting has started" in response.content.decode()
    form = response.context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields}
    data = {name: value for name, value in data.items() if value is not False}
    data["counting_rule"] = CountingRule.PHRAGMEN
    page = client.post(edition_url("edition_settings", edition), data).content.decode()
    assert "can no longer change" in page
    edition.refresh_from_db()
    assert edition.counting_rule == CountingRule.GREEDY


def test_pool_pages_add_edit_delete(client, personas):
    edition = make_edition(organisation=personas.organisation, total_budget=Decimal(200_000))
    signed_in(client, personas.coordinator)
    response = client.post(edition_url("pool_add", edition), {"name": "North", "kind": "district", "budget": "50000"})
    assert response.status_code == 302
    pool = Pool.objects.get(edition=edition, name="North")
    over = client.post(
        edition_url("pool_edit", edition, pool.pk), {"name": "North", "kind": "district", "budget": "150000"}
    )
    assert "more than the total budget" in over.content.decode()
    double = client.post(edition_url("pool_add", edition), {"name": "Town", "kind": "citywide", "budget": "1"})
    assert "already has a citywide pool" in double.content.decode()
    assert client.get(edition_url("pool_delete", edition, pool.pk)).status_code == 200
    assert client.post(edition_url("pool_delete", edition, pool.pk)).status_code == 302
    assert not Pool.objects.filter(pk=pool.pk).exists()
    citywide = Pool.objects.get(edition=edition, kind=PoolKind.CITYWIDE)
    ProposalFactory(edition=edition, pool=citywide)
    refused = client.post(edition_url("pool_delete", edition, citywide.pk))
    assert refused.status_code == 400 and "cannot be deleted" in refused.content.decode()


def test_pool_of_another_edition_is_404(client, personas):
    edition = make_edition(organisation=personas.organisation)
    other = make_edition(organisation=personas.organisation)
    signed_in(client, personas.coordinator)
    assert client.get(edition_url("pool_edit", edition, other.pools.first().pk)).status_code == 404


def test_category_pages(client, personas):
    edition = make_edition(organisation=personas.organisation)
    signed_in(client, personas.coordinator)
    assert client.post(edition_url("category_add", edition), {"name": "Sport"}).status_code == 302
    category = Category.objects.get(edition=edition)
    assert "already has one" in client.post(edition_url("category_add", edition), {"name": "Sport"}).content.decode()
    client.post(edition_url("category_edit", edition, category.pk), {"name": "Sports"})
    assert Category.objects.get(pk=category.pk).name == "Sports"
    client.post(edition_url("category_delete", edition, category.pk))
    assert not Category.objects.exists()
    signed_in(client, personas.resident)
    assert client.post(edition_url("category_add", edition), {"name": "Mine"}).status_code == 403


# --- archive and organisation page ---------------------------------------------------------------------------------
def test_archive_lists_visible_editions_and_filters_by_municipality(client, personas):
    mine = make_edition(organisation=personas.organisation)
    theirs = make_edition(organisation=personas.other_organisation)
    hidden = make_edition(organisation=personas.organisation)
    hidden.module.process.is_published = False
    hidden.module.process.save()
    page = client.get(reverse("budgeting:archive")).content.decode()
    assert mine.get_absolute_url() in page and theirs.get_absolute_url() in page
    assert hidden.get_absolute_url() not in page
    filtered = client.get(reverse("budgeting:archive"), {"municipality": "other-town"}).content.decode()
    assert theirs.get_absolute_url() in filtered and mine.get_absolute_url() not in filtered
    bad = client.get(reverse("budgeting:archive"), {"municipality": "atlantis", "page": "x"})
    assert bad.status_code == 200


def test_archive_query_count_does_not_grow(client, personas, django_assert_num_queries):
    make_edition(organisation=personas.organisation)
    with django_assert_num_queries(4):
        client.get(reverse("budgeting:archive"))
    for _ in range(4):
        ProposalFactory(edition=make_edition(organisation=personas.other_organisation))
    with django_assert_num_queries(4):
        response = client.get(reverse("budgeting:archive"))
    assert len(response.context["rows"]) == 5


def test_organisation_page_lists_its_editions(client, personas):
    edition = make_edition(organisation=personas.organisation)
    page = client.get(personas.organisation.get_absolute_url()).content.decode()
    assert "Participatory budgets" in page and edition.get_absolute_url() in page
    ProcessFactory(organisation=personas.other_organisation)
    other = client.get(personas.other_organisation.get_absolute_url()).content.decode()
    assert "Participatory budgets" not in other
