"""Per-language columns for process and module texts (ADR 0004: modeltranslation)."""

from typing import ClassVar

from modeltranslation.translator import TranslationOptions, register

from veche.participation.models import Module, Process


@register(Process)
class ProcessTranslationOptions(TranslationOptions):
    fields = ("title", "summary")
    required_languages: ClassVar[tuple[str, ...]] = ()


@register(Module)
class ModuleTranslationOptions(TranslationOptions):
    fields = ("title",)
    required_languages: ClassVar[tuple[str, ...]] = ()
