"""The shared helpers for translated fields, language codes and permission checks."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from veche.core.permissions import require_permission
from veche.core.testing.factories import OrganisationFactory
from veche.core.translation import fallback_expression, fallback_languages, language_codes
from veche.organisations.models import Organisation


def test_language_codes_follow_the_settings(settings):
    assert language_codes() == ("cs", "pl", "en")
    settings.LANGUAGES = [("en", "English")]
    assert language_codes() == ("en",)


@pytest.mark.parametrize(
    ("language", "chain"),
    [("cs", ("cs", "en", "pl")), ("pl", ("pl", "en", "cs")), ("en", ("en", "cs", "pl")), ("en-gb", ("en", "cs", "pl"))],
)
def test_fallback_languages_follow_modeltranslation_settings(language, chain):
    assert fallback_languages(language) == chain


@pytest.mark.django_db
def test_fallback_expression_treats_empty_texts_as_missing():
    first = OrganisationFactory(name_en="", name_cs="")
    Organisation.objects.filter(pk=first.pk).update(name_en="", name_cs="", name_pl="Polski")
    OrganisationFactory(name_en="English", name_cs="")
    with translation.override("cs"):
        shown = Organisation.objects.annotate(shown=fallback_expression("name")).order_by("pk")
        assert list(shown.values_list("shown", flat=True)) == ["Polski", "English"]


def test_require_permission_raises_unless_the_user_has_it():
    class User:
        def has_perm(self, permission, obj=None):
            return permission == "app.allowed" and obj == "thing"

    require_permission(User(), "app.allowed", "thing")
    with pytest.raises(PermissionDenied):
        require_permission(User(), "app.allowed", "other")
    with pytest.raises(PermissionDenied):
        require_permission(User(), "app.denied", "thing")
