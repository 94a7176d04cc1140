"""How a version of a case reads: field labels and values for the history, a version page and the review of
proposed changes."""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from veche.cases import geo
from veche.cases.services import CaseInput
from veche.core.vocabulary import MethodChoices, TopicChoices
from veche.organisations.choices import Country

LABELS = {
    "title": _("Title"),
    "summary": _("Summary"),
    "language": _("Language of the text"),
    "municipality": _("Municipality"),
    "region": _("Region"),
    "country": _("Country"),
    "point": _("Point on the map"),
    "area": _("Area"),
    "started_on": _("Started"),
    "ended_on": _("Ended"),
    "methods": _("Methods"),
    "topics": _("Topics"),
    "organiser": _("Who organised it"),
    "participants": _("How many took part"),
    "participants_note": _("Who took part"),
    "budget": _("Budget"),
    "results": _("Results"),
    "changes": _("What changed"),
    "lessons": _("Lessons learned"),
    "links": _("Documents and links"),
}


def _choice(choices: Any, key: str) -> str:
    try:
        return str(choices(key).label)
    except ValueError:
        return key


def display(data: CaseInput) -> dict[str, str]:
    """Every field of a version as text a person reads."""
    from django.conf import settings

    languages = dict(settings.LANGUAGES)
    point = (
        f"{number_format(data.latitude, decimal_pos=6)}, {number_format(data.longitude, decimal_pos=6)}"
        if data.latitude is not None and data.longitude is not None
        else ""
    )
    area = ""
    if data.area:
        positions = sum(len(ring) for ring in geo.outer_rings(data.area))
        area = str(_("%(type)s with %(count)s points")) % {"type": data.area["type"], "count": positions}
    budget = (
        f"{number_format(data.budget, decimal_pos=2, force_grouping=True)} {data.currency}"
        if data.budget is not None
        else ""
    )
    return {
        "title": data.title,
        "summary": data.summary,
        "language": str(languages.get(data.language, data.language)),
        "municipality": data.municipality,
        "region": data.region,
        "country": _choice(Country, data.country) if data.country else "",
        "point": point,
        "area": area,
        "started_on": date_format(data.started_on) if data.started_on else "",
        "ended_on": date_format(data.ended_on) if data.ended_on else "",
        "methods": ", ".join(_choice(MethodChoices, key) for key in data.methods),
        "topics": ", ".join(_choice(TopicChoices, key) for key in data.topics),
        "organiser": data.organiser,
        "participants": number_format(data.participants, force_grouping=True) if data.participants is not None else "",
        "participants_note": data.participants_note,
        "budget": budget,
        "results": data.results,
        "changes": data.changes,
        "lessons": data.lessons,
        "links": "\n".join(f"{label} — {url}" for label, url in data.links),
    }


def revision_fields(data: CaseInput) -> list[dict[str, str]]:
    shown = display(data)
    return [{"key": key, "label": str(label), "value": shown[key]} for key, label in LABELS.items()]


def changed_fields(before: CaseInput, after: CaseInput) -> list[dict[str, str]]:
    """The fields that differ, with the text before and after. The area compares by its coordinates."""
    old, new = display(before), display(after)
    old["area"] = geo.dumps(before.area)
    new["area"] = geo.dumps(after.area)
    rows = []
    for key, label in LABELS.items():
        if old[key] != new[key]:
            if key == "area":
                before_text, after_text = display(before)["area"], display(after)["area"]
            else:
                before_text, after_text = old[key], new[key]
            rows.append({"key": key, "label": str(label), "old": before_text, "new": after_text})
    return rows
