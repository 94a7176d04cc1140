"""Per-language columns for the texts of consultation standards (ADR 0004). A consultation itself is run in one
language (ADR 0014), so its own texts have a single column."""

from typing import ClassVar

from modeltranslation.translator import TranslationOptions, register

from veche.consultations.models import StandardItem, StandardSet


@register(StandardSet)
class StandardSetTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages: ClassVar[tuple[str, ...]] = ()


@register(StandardItem)
class StandardItemTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages: ClassVar[tuple[str, ...]] = ()
