"""Every cell of the "Advice on request" table in docs/domain/permissions.md, checked against the rules; and the
list queryset checked against view_request for every persona."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from veche.advice.choices import AdviceStatus
from veche.advice.models import AdviceRequest
from veche.advice.tests.factories import AdviceMessageFactory
from veche.core.testing.permission_table import expectations_for

EXPECTATIONS = expectations_for("advice.")
PERSONAS = (
    "anonymous",
    "resident",
    "requester",
    "requester_colleague",
    "expert",
    "other_expert",
    "coordinator",
    "other_coordinator",
    "superuser",
)
REQUEST = re.compile(r"^request \((?P<status>[a-z ]+?)(?P<rated>, rated)?\)$")


def build(obj: str, cast):
    if obj == "network":
        return cast.network
    if obj == "another network":
        return cast.other_network
    if match := REQUEST.match(obj):
        status = match["status"].replace(" ", "_")
        assert status in AdviceStatus.values, obj
        values = {"rating": 4} if match["rated"] else {}
        return AdviceRequest.objects.select_related("network").get(pk=cast.request(status, **values).pk)
    if obj in ("message", "message (hidden)"):
        request = cast.request(AdviceStatus.IN_PROGRESS)
        hidden = {"hidden_at": timezone.now(), "hidden_reason": "Spam"} if obj.endswith("(hidden)") else {}
        return AdviceMessageFactory(request=request, author=cast.requester, **hidden)
    raise AssertionError(f"The permissions table names an object this test cannot build: {obj!r}")


def test_the_table_covers_every_advice_permission():
    import rules

    registered = {name for name in rules.permissions.permissions if name.startswith("advice.")}
    assert registered == {item.permission for item in EXPECTATIONS}
    assert {item.persona for item in EXPECTATIONS} == set(PERSONAS)


@pytest.mark.django_db
@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=lambda item: item.id)
def test_permission_matrix(cast, expectation):
    obj = build(expectation.obj, cast)
    user = cast.get(expectation.persona)
    assert user.has_perm(expectation.permission, obj) is expectation.allowed


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_visible_to_agrees_with_view_request(cast, persona):
    for status in AdviceStatus.values:
        cast.request(status)
    AdviceRequest.objects.create(
        network=cast.other_network,
        requested_by=cast.other_coordinator,
        title="Elsewhere",
        stage="other",
        description="A request to another network.",
        preferred_language="en",
    )
    user = cast.get(persona)
    visible = set(AdviceRequest.objects.visible_to(user).values_list("pk", flat=True))
    allowed = {item.pk for item in AdviceRequest.objects.all() if user.has_perm("advice.view_request", item)}
    assert visible == allowed
