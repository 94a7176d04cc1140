"""Schemas and input types shared by every app's API."""

from __future__ import annotations

from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Schema
from pydantic import StringConstraints

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=60)]
# Free text in a query: no NUL character (PostgreSQL cannot compare with it) and a sane length.
SearchText = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=100)]


class TranslatedText(Schema):
    """A text in each of the site's languages; null where it has not been written in that language."""

    cs: str | None
    pl: str | None
    en: str | None


def translations(obj: Any, field: str) -> dict[str, str | None]:
    """The per-language values of a modeltranslation field, e.g. translations(org, "name") → {"cs": …, …}."""
    return {code: getattr(obj, f"{field}_{code}", None) or None for code in settings.MODELTRANSLATION_LANGUAGES}


def api_url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    """Absolute address of an API operation, by its url_name."""
    return request.build_absolute_uri(reverse(f"api-v1:{name}", kwargs=kwargs))
