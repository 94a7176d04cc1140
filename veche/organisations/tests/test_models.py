"""Model-level facts: clean() rules for population and NUTS region codes, and the affiliation constraints."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from veche.core.testing.factories import AffiliationFactory, NetworkFactory, OrganisationFactory
from veche.organisations.choices import OrganisationKind
from veche.organisations.models import NUTS_CODE, Affiliation, Organisation


def organisation(**values: object) -> Organisation:
    defaults: dict[str, object] = {"slug": "x", "kind": OrganisationKind.MUNICIPALITY, "country": "CZ", "name": "X"}
    defaults.update(values)
    return Organisation(**defaults)


@pytest.mark.parametrize("kind", [OrganisationKind.MUNICIPALITY, OrganisationKind.REGION])
def test_municipalities_and_regions_have_a_population(kind):
    organisation(kind=kind, population=1000).clean()


@pytest.mark.parametrize("kind", [OrganisationKind.NGO, OrganisationKind.NETWORK])
def test_others_have_no_population(kind):
    with pytest.raises(ValidationError) as error:
        organisation(kind=kind, population=1000).clean()
    assert "population" in error.value.message_dict


def test_a_region_code_is_upper_cased_and_must_start_with_the_country():
    item = organisation(region_code="cz020")
    item.clean()
    assert item.region_code == "CZ020"
    with pytest.raises(ValidationError) as error:
        organisation(region_code="PL911").clean()
    assert "must start with the country code CZ" in error.value.message_dict["region_code"][0]


@given(code=st.from_regex(r"\A[A-Z0-9]{0,3}\Z"))
def test_any_well_formed_nuts_code_of_the_country_is_accepted(code):
    organisation(region_code=f"CZ{code}").clean()


@given(code=st.text(max_size=5).filter(lambda text: text and not NUTS_CODE.match(text.upper())))
def test_malformed_region_codes_are_refused(code):
    with pytest.raises(ValidationError) as error:
        organisation(region_code=code).clean()
    assert "region_code" in error.value.message_dict


@pytest.mark.django_db
def test_only_a_network_has_members():
    with pytest.raises(ValidationError):
        Affiliation(network=OrganisationFactory(), organisation=OrganisationFactory()).clean()
    Affiliation(network=NetworkFactory(), organisation=OrganisationFactory()).clean()


@pytest.mark.django_db
def test_one_current_affiliation_per_pair_but_history_is_kept():
    current = AffiliationFactory()
    AffiliationFactory(network=current.network, organisation=current.organisation, left_on="2023-01-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        AffiliationFactory(network=current.network, organisation=current.organisation)


@pytest.mark.django_db
def test_a_network_is_not_its_own_member():
    network = NetworkFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AffiliationFactory(network=network, organisation=network)
