from __future__ import annotations

import pytest

from veche.advice.tests.factories import make_cast


@pytest.fixture
def cast(db):
    return make_cast()


@pytest.fixture(autouse=True)
def _no_staff_two_factor(settings):
    """View tests sign staff in without setting up TOTP; enforcement itself is tested in the accounts app."""
    settings.VECHE_REQUIRE_STAFF_2FA = False
