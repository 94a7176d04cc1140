"""Helpers for per-language model fields (django-modeltranslation) and the site's languages."""

from __future__ import annotations

from django.conf import settings
from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation


def language_codes() -> tuple[str, ...]:
    """The codes of the site's languages, in the order of settings.LANGUAGES."""
    return tuple(code for code, _name in settings.LANGUAGES)


def fallback_languages(language: str | None = None) -> tuple[str, ...]:
    """The language (default: the active one) followed by its modeltranslation fallbacks, without repeats."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    language = language.split("-")[0]
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    chain = (language, *fallbacks.get(language, fallbacks.get("default", ())))
    available = set(settings.MODELTRANSLATION_LANGUAGES)
    return tuple(dict.fromkeys(code for code in chain if code in available))


def fallback_expression(field_name: str, language: str | None = None) -> Func:
    """The text of a translated field as the reader sees it, for ordering in SQL: the column of the language, else the
    first non-empty fallback column. Ordering on the bare column would put texts missing in that language first.

    field_name may be a lookup path such as "organisation__name"."""
    # The per-language columns are distinct field classes, so the output type is given explicitly.
    columns = [
        NullIf(F(f"{field_name}_{code}"), Value(""), output_field=TextField()) for code in fallback_languages(language)
    ]
    if len(columns) == 1:
        return columns[0]
    return Coalesce(*columns, output_field=TextField())
