"""Fixtures of the API tests: a clean rate-limit counter for every test, and a person with a personal token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache

from veche.accounts.models import ApiToken
from veche.core.testing.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()


@dataclass
class TokenHolder:
    user: Any
    token: ApiToken
    raw: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.raw}"}


def make_token(user: Any, name: str = "script") -> TokenHolder:
    raw, prefix, key_hash = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, key_hash=key_hash)
    return TokenHolder(user=user, token=token, raw=raw)


@pytest.fixture
def token_holder(db: None) -> TokenHolder:
    return make_token(UserFactory(display_name="Script Owner"))
