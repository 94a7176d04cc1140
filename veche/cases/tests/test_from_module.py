"""A process finished on veche becomes a case in one step: any module type that declares case_summary, and the
budgeting module's real figures; only coordinators of the organisation that ran it, only in its networks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from veche.cases import services
from veche.cases.choices import CaseStatus
from veche.cases.models import Case
from veche.core.testing.factories import AffiliationFactory, NetworkFactory
from veche.participation.models import Module
from veche.participation.registry import CaseSummary, ModuleType, PhaseType, registered_for_test
from veche.participation.tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db


def summary_of(module):
    if module.title == "unfinished":
        return None
    return CaseSummary(
        title="Riverside consultation",
        summary="Residents commented on the plan for the riverside.",
        organisation_id=module.process.organisation_id,
        methods=("consultation", "consultation_walk"),
        topics=("public_space",),
        url="/en/processes/riverside/",
        started_on=dt.date(2025, 3, 1),
        ended_on=dt.date(2025, 5, 31),
        participants=312,
        participants_note="Residents of the two riverside districts.",
        results="The plan keeps the meadow.",
        latitude=50.0311,
        longitude=15.2024,
        links=(("Report", "/en/processes/riverside/report.pdf"),),
    )


FAKE = ModuleType(
    key="fake_consultation",
    name="Consultation",
    phases=(PhaseType("commenting", "Commenting", frozenset({"comment"})),),
    case_summary=summary_of,
)


@pytest.fixture
def setup(personas):
    network = NetworkFactory(slug="hub")
    AffiliationFactory(network=network, organisation=personas.organisation)
    process = ProcessFactory(organisation=personas.organisation)
    with registered_for_test(FAKE):
        module = Module.objects.create(process=process, module_type=FAKE.key, title_en="finished")
        yield network, module


def test_coordinator_drafts_a_case_with_the_real_figures(client, personas, setup):
    network, module = setup
    client.force_login(personas.coordinator)
    page = client.get(reverse("cases:finished_processes", kwargs={"org_slug": personas.organisation.slug}))
    assert "Riverside consultation" in page.content.decode()
    url = reverse("cases:from_module", kwargs={"module_id": module.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"network": network.pk})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:edit", kwargs={"pk": case.pk})
    assert case.status == CaseStatus.DRAFT and case.author == personas.coordinator
    assert case.network == network and case.source_module == module
    assert case.organisation == personas.organisation and case.municipality == "Home Town"
    assert case.participants == 312 and case.latitude == Decimal("50.031100")
    assert sorted(case.methods.values_list("slug", flat=True)) == ["consultation", "consultation_walk"]
    assert case.links == [["Report", "http://127.0.0.1:8000/en/processes/riverside/report.pdf"]]
    assert case.source_url == "http://127.0.0.1:8000/en/processes/riverside/"
    services.submit_case(actor=personas.coordinator, case=case)  # complete enough to submit at once
    # A second time in the same network is refused; the page says where it is already.
    with pytest.raises(ValidationError) as error:
        services.draft_case_from_module(actor=personas.coordinator, module=module, network=network)
    assert error.value.code == "already_on_map"
    assert (
        "Already presented in:"
        in client.get(
            reverse("cases:finished_processes", kwargs={"org_slug": personas.organisation.slug})
        ).content.decode()
    )


def test_only_the_organisations_coordinators_and_only_its_networks(personas, setup):
    network, module = setup
    for person in (personas.member, personas.moderator, personas.other_administrator, personas.resident):
        with pytest.raises(PermissionDenied):
            services.draft_case_from_module(actor=person, module=module, network=network)
    elsewhere = NetworkFactory()
    with pytest.raises(ValidationError) as error:
        services.draft_case_from_module(actor=personas.administrator, module=module, network=elsewhere)
    assert "network" in error.value.error_dict


def test_unfinished_processes_are_not_offered(client, personas, setup):
    network, module = setup
    module.title_en = "unfinished"
    module.save()
    with pytest.raises(ValidationError) as error:
        services.draft_case_from_module(actor=personas.coordinator, module=module, network=network)
    assert error.value.code == "not_finished"
    client.force_login(personas.coordinator)
    assert client.get(reverse("cases:from_module", kwargs={"module_id": module.pk})).status_code == 404
    page = client.get(reverse("cases:finished_processes", kwargs={"org_slug": personas.organisation.slug}))
    assert "No finished process yet" in page.content.decode()


def test_a_finished_budget_becomes_a_case(personas):
    from veche.budgeting.models import Ballot, Edition
    from veche.budgeting.tests.factories import ProposalFactory, make_edition

    network = NetworkFactory()
    AffiliationFactory(network=network, organisation=personas.organisation)
    edition = make_edition(phase="results", organisation=personas.organisation, currency="CZK")
    pool = edition.pools.get()
    park = ProposalFactory(edition=edition, title="Park", cost_estimate=Decimal(600))
    Ballot.objects.create(pool=pool, receipt="R0001-XXXXX", channel="online", projects=[park.pk])
    from veche.budgeting.services import results

    results.count_pool(actor=personas.coordinator, pool=pool)
    results.publish_results(actor=personas.coordinator, edition=Edition.objects.get(pk=edition.pk))
    case = services.draft_case_from_module(actor=personas.coordinator, module=edition.module, network=network)
    assert case.currency == "CZK" and case.budget == edition.total_budget
    assert case.participants == 1
    assert "Park" in case.results
    assert list(case.methods.values_list("slug", flat=True)) == ["participatory_budgeting"]


def test_admin_lists_cases_and_publishes_through_the_service(client, personas):
    from veche.cases.tests.factories import make_case

    network = personas.organisation
    network.kind = "network"
    network.save()
    case = make_case(network=network, status=CaseStatus.SUBMITTED, author=personas.member)
    client.force_login(personas.superuser)
    assert client.get(reverse("admin:cases_case_changelist")).status_code == 200
    assert client.get(reverse("admin:cases_case_change", args=[case.pk])).status_code == 200
    client.post(
        reverse("admin:cases_case_changelist"), {"action": "publish", "_selected_action": [case.pk]}, follow=True
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED
    assert case.revisions.filter(kind="published").exists()
