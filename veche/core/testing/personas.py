"""The personas every app's permission tests run over: one person per role in one organisation, plus outsiders.

`personas` (a pytest fixture in conftest.py) returns a Personas object whose attributes are users (or AnonymousUser).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser

from veche.core.testing.factories import OrganisationFactory, RoleFactory, UserFactory
from veche.organisations.models import Organisation

PERSONA_NAMES = (
    "anonymous",
    "resident",
    "member",
    "expert",
    "moderator",
    "coordinator",
    "administrator",
    "other_administrator",
    "superuser",
)


@dataclass
class Personas:
    organisation: Organisation
    other_organisation: Organisation
    anonymous: Any
    resident: Any
    member: Any
    expert: Any
    moderator: Any
    coordinator: Any
    administrator: Any
    other_administrator: Any
    superuser: Any

    def get(self, name: str) -> Any:
        return getattr(self, name)


def make_personas() -> Personas:
    organisation = OrganisationFactory(slug="home-town", name="Home Town")
    other = OrganisationFactory(slug="other-town", name="Other Town")
    people: dict[str, Any] = {"anonymous": AnonymousUser(), "resident": UserFactory(email="resident@example.org")}
    for kind in ("member", "expert", "moderator", "coordinator", "administrator"):
        people[kind] = RoleFactory(
            organisation=organisation, kind=kind, user=UserFactory(email=f"{kind}@example.org")
        ).user
    people["other_administrator"] = RoleFactory(
        organisation=other, kind="administrator", user=UserFactory(email="other-admin@example.org")
    ).user
    people["superuser"] = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    return Personas(organisation=organisation, other_organisation=other, **people)
