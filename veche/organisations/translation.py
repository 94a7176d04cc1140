"""Per-language columns for organisation texts (ADR 0004: modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from veche.organisations.models import Organisation


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages: tuple[str, ...] = ()
