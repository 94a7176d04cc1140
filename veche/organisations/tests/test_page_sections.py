"""Apps above organisations add sections to its page: the processes list for everyone, the audit link for staff."""

import pytest

from veche.participation.models import Process


@pytest.mark.django_db
def test_processes_and_audit_link_appear_for_the_right_people(client, personas):
    organisation = personas.organisation
    Process.objects.create(
        organisation=organisation, slug="park", title="Riverside park", title_en="Riverside park", is_published=True
    )
    url = organisation.get_absolute_url()

    public = client.get(url).content.decode()
    assert "Riverside park" in public
    assert "/audit/home-town/" not in public

    client.force_login(personas.coordinator)
    staff = client.get(url).content.decode()
    assert "Riverside park" in staff
    assert "/audit/home-town/" in staff

    client.force_login(personas.other_administrator)
    assert "/audit/home-town/" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_organisation_page_query_count_does_not_grow_with_processes(client, personas, django_assert_max_num_queries):
    organisation = personas.organisation
    Process.objects.create(organisation=organisation, slug="p0", title="P0", title_en="P0", is_published=True)
    with django_assert_max_num_queries(30) as first:
        client.get(organisation.get_absolute_url())
    for index in range(1, 8):
        Process.objects.create(
            organisation=organisation, slug=f"p{index}", title=f"P{index}", title_en=f"P{index}", is_published=True
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(organisation.get_absolute_url())


@pytest.mark.django_db
def test_members_of_a_network_sort_by_the_name_the_reader_sees(client):
    from veche.core.testing.factories import AffiliationFactory, NetworkFactory, OrganisationFactory

    network = NetworkFactory(slug="hub")
    # Mielec is named only in Polish: in Czech it must sort by that name, not first (or last) as a missing one.
    AffiliationFactory(network=network, organisation=OrganisationFactory(name="Zlín", name_en="", name_cs="Zlín"))
    AffiliationFactory(network=network, organisation=OrganisationFactory(name="Mielec", name_en="", name_pl="Mielec"))
    AffiliationFactory(network=network, organisation=OrganisationFactory(name="Brno", name_en="", name_cs="Brno"))
    html = client.get("/cs/organisations/hub/").content.decode()
    assert html.index("Brno") < html.index("Mielec") < html.index("Zlín")
