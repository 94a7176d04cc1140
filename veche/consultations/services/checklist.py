"""Standards and population figures: the coordinator's checklist of a consultation against its standard, the
organisation's own standards (copied from the default and edited), and its population figures for the report.

Checklist: `consultations.assess_standards` (coordinators, at any time — the checklist is part of the report while
it is unpublished, and shown on the consultation page afterwards). Standards and population figures belong to the
organisation: `consultations.manage_standards` (its coordinators and administrators). Every change is audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veche.audit.services import record
from veche.consultations.models import (
    PopulationDimension,
    PopulationFigure,
    StandardAssessment,
    StandardItem,
    StandardRating,
    StandardSet,
)
from veche.consultations.population_csv import Figure
from veche.core.permissions import require_permission
from veche.core.translation import language_codes

ASSESS = "consultations.assess_standards"
MANAGE = "consultations.manage_standards"
MAX_NOTE = 2000

ACTION_LABELS = {
    "consultations.standards_assessed": gettext_lazy("Consultation: standards checklist filled in"),
    "consultations.standard_copied": gettext_lazy("Consultation standard copied"),
    "consultations.standard_changed": gettext_lazy("Consultation standard changed"),
    "consultations.standard_item_saved": gettext_lazy("Consultation standard: item saved"),
    "consultations.standard_item_deleted": gettext_lazy("Consultation standard: item deleted"),
    "consultations.population_replaced": gettext_lazy("Population figures replaced"),
}


def assess_standards(*, actor: Any, consultation: Any, ratings: Mapping[int, tuple[str, str]]) -> int:
    """Save the checklist: ratings maps an item id of the consultation's standard to (rating, note); an empty
    rating clears the item. Items of other standards are refused. Returns how many items are assessed now."""
    require_permission(actor, ASSESS, consultation)
    standard = consultation.standard_set
    if standard is None:
        raise ValidationError(_("This consultation has no standard to check against."))
    items = {item.pk: item for item in standard.items.all()}
    errors = {}
    for item_id, (rating, note) in ratings.items():
        if item_id not in items:
            raise ValidationError(_("This item belongs to another standard."))
        if rating and rating not in StandardRating.values:
            errors[f"rating_{item_id}"] = _("Choose met, partly met or not met.")
        if len(note or "") > MAX_NOTE:
            errors[f"note_{item_id}"] = _("Keep the note under %(limit)s characters.") % {"limit": MAX_NOTE}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for item_id, (rating, note) in ratings.items():
            if rating:
                StandardAssessment.objects.update_or_create(
                    consultation=consultation,
                    item_id=item_id,
                    defaults={"rating": rating, "note": (note or "").strip(), "assessed_by": actor},
                )
            else:
                StandardAssessment.objects.filter(consultation=consultation, item_id=item_id).delete()
        assessed = StandardAssessment.objects.filter(consultation=consultation, item__standard_set=standard).count()
        record(
            actor=actor,
            action="consultations.standards_assessed",
            target=consultation,
            data={"assessed": assessed, "items": len(items)},
        )
    return assessed


# --- the organisation's standards ---------------------------------------------------------------------------------


def _translated(instance: Any, field: str) -> dict[str, Any]:
    return {f"{field}_{code}": getattr(instance, f"{field}_{code}", "") for code in language_codes()}


def copy_standard_set(*, actor: Any, organisation: Any, source: StandardSet) -> StandardSet:
    """A copy of source (the platform's default, or a standard the organisation may see) as the organisation's own,
    with every item in every language. New consultations of the organisation use it."""
    require_permission(actor, MANAGE, organisation)
    if source.organisation_id not in (None, organisation.pk):
        raise ValidationError(_("Copy the platform's default standard or one of your organisation's."))
    with transaction.atomic():
        copy = StandardSet.objects.create(
            organisation=organisation, min_open_days=source.min_open_days, **_translated(source, "name")
        )
        StandardItem.objects.bulk_create(
            StandardItem(
                standard_set=copy,
                key=item.key,
                weight=item.weight,
                **_translated(item, "title"),
                **_translated(item, "description"),
            )
            for item in source.items.all()
        )
        record(
            actor=actor,
            action="consultations.standard_copied",
            target=copy,
            organisation=organisation,
            data={"source": source.pk},
        )
    return copy


def update_standard_set(*, actor: Any, standard_set: StandardSet, name: str, min_open_days: int) -> StandardSet:
    """Rename (in the current language) and set the minimum days open (1–365) of the organisation's standard."""
    require_permission(actor, MANAGE, standard_set.organisation)
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = _("Give the standard a name.")
    if not isinstance(min_open_days, int) or not 1 <= min_open_days <= 365:
        errors["min_open_days"] = _("Between 1 and 365 days.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        standard_set.name = name[:200]
        standard_set.min_open_days = min_open_days
        standard_set.save()
        record(actor=actor, action="consultations.standard_changed", target=standard_set)
    return standard_set


def save_standard_item(
    *,
    actor: Any,
    standard_set: StandardSet,
    title: str,
    description: str = "",
    weight: int = 0,
    item: StandardItem | None = None,
) -> StandardItem:
    """Add an item to the organisation's standard, or change one (title and description in the current language)."""
    require_permission(actor, MANAGE, standard_set.organisation)
    if item is not None and item.standard_set_id != standard_set.pk:
        raise ValidationError(_("This item belongs to another standard."))
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Give the item a title.")})
    with transaction.atomic():
        if item is None:
            base = slugify(title)[:30] or "item"
            taken = set(StandardItem.objects.filter(standard_set=standard_set).values_list("key", flat=True))
            key, counter = base, 2
            while key in taken:
                key, counter = f"{base}-{counter}", counter + 1
            item = StandardItem(standard_set=standard_set, key=key)
        item.title, item.description, item.weight = title[:200], (description or "").strip(), weight
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError as exc:  # pragma: no cover - keys are made unique above
            raise ValidationError({"title": _("This standard already has such an item.")}) from exc
        record(
            actor=actor, action="consultations.standard_item_saved", target=item, organisation=standard_set.organisation
        )
    return item


def delete_standard_item(*, actor: Any, item: StandardItem) -> None:
    """Remove an item from the organisation's standard (with the checklist answers given to it)."""
    standard_set = item.standard_set
    require_permission(actor, MANAGE, standard_set.organisation)
    with transaction.atomic():
        record(
            actor=actor,
            action="consultations.standard_item_deleted",
            target=item,
            organisation=standard_set.organisation,
            data={"assessments": item.assessments.count()},
        )
        item.delete()


# --- population figures -------------------------------------------------------------------------------------------


def population_groups() -> dict[str, list[str] | None]:
    """The dimensions and their allowed group keys (districts: any name)."""
    from veche.consultations.choices import AgeBand, Gender

    return {
        PopulationDimension.AGE_BAND: [key for key in AgeBand.values if key != "undisclosed"],
        PopulationDimension.GENDER: [key for key in Gender.values if key != "undisclosed"],
        PopulationDimension.DISTRICT: None,
    }


def replace_population(
    *, actor: Any, organisation: Any, figures: Iterable[Figure], dimensions: Iterable[str] | None = None
) -> int:
    """Replace the organisation's figures of the given dimensions (all dimensions in figures, by default) with
    figures, in one transaction. Returns how many figures the organisation has now."""
    require_permission(actor, MANAGE, organisation)
    figures = list(figures)
    groups = population_groups()
    for figure in figures:
        allowed = groups.get(figure.dimension, [])
        if figure.dimension not in groups or (allowed is not None and figure.group not in allowed):
            raise ValidationError(_("Unknown group “%(group)s”.") % {"group": figure.group})
        if figure.residents < 0:
            raise ValidationError(_("A number of residents cannot be negative."))
    replaced = set(dimensions) if dimensions is not None else {figure.dimension for figure in figures}
    with transaction.atomic():
        PopulationFigure.objects.filter(organisation=organisation, dimension__in=replaced).delete()
        PopulationFigure.objects.bulk_create(
            PopulationFigure(
                organisation=organisation, dimension=figure.dimension, group=figure.group, residents=figure.residents
            )
            for figure in figures
            if figure.dimension in replaced
        )
        total = PopulationFigure.objects.filter(organisation=organisation).count()
        record(
            actor=actor,
            action="consultations.population_replaced",
            target=organisation,
            organisation=organisation,
            data={"dimensions": sorted(replaced), "figures": total},
        )
    return total
