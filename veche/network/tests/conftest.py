from __future__ import annotations

import pytest

from veche.core.testing.factories import NetworkFactory, RoleFactory, UserFactory


@pytest.fixture(autouse=True)
def _no_staff_two_factor(settings):
    """View tests sign staff in without setting up TOTP; enforcement itself is tested in the accounts app."""
    settings.VECHE_REQUIRE_STAFF_2FA = False


@pytest.fixture
def network(db):
    return NetworkFactory(slug="south-network", name="South Network")


@pytest.fixture
def coordinator(network):
    return RoleFactory(organisation=network, kind="coordinator", user=UserFactory(email="coord@example.org")).user
