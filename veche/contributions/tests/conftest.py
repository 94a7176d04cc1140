"""A throw-away reportable (processes stand in for comments), registered for each test that asks for it."""

from __future__ import annotations

import pytest

from veche.contributions.registry import Reportable, register_reportable, unregister_reportable
from veche.participation.models import Process


def _reportable() -> Reportable:
    return Reportable(
        model=Process,
        organisation_id=lambda item: item.organisation_id,
        excerpt=lambda item: f"Excerpt of {item.title}",
        url=lambda item: item.get_absolute_url(),
        moderate_url=lambda item: item.get_absolute_url() + "#moderate",
        queryset=lambda: Process.objects.select_related("organisation"),
        is_visible_to=lambda user, item: user.has_perm("participation.view_process", item),
        is_hidden=lambda item: item.slug.startswith("hidden-"),
    )


@pytest.fixture
def reportable_process():
    reportable = register_reportable(_reportable())
    yield reportable
    unregister_reportable(reportable.label)


@pytest.fixture(autouse=True)
def _no_staff_two_factor(settings):
    """View tests sign staff in without setting up TOTP; enforcement itself is tested in the accounts app."""
    settings.VECHE_REQUIRE_STAFF_2FA = False
