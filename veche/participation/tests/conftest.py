from __future__ import annotations

import pytest

from veche.participation.registry import registered_for_test
from veche.participation.tests.factories import FAKE_TYPE


@pytest.fixture
def fake_type():
    """The fake module type, registered for one test."""
    with registered_for_test(FAKE_TYPE):
        yield FAKE_TYPE


@pytest.fixture(autouse=True)
def _no_staff_two_factor(settings):
    """View tests sign staff in without setting up TOTP; enforcement itself is tested in the accounts app."""
    settings.VECHE_REQUIRE_STAFF_2FA = False
