from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_staff_two_factor(settings):
    """View tests sign staff in without setting up TOTP; enforcement itself is tested in the accounts app."""
    settings.VECHE_REQUIRE_STAFF_2FA = False


@pytest.fixture
def network(personas):
    """The personas' organisation as a network: its coordinator and administrator are editors, its member writes."""
    organisation = personas.organisation
    organisation.kind = "network"
    organisation.save()
    return organisation
