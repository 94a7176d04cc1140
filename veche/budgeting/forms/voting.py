"""Forms of the voter-facing voting pages: the eligibility step, voting codes, receipt lookup, and reading a ballot
out of the POSTed form.

`read_selection` only *reads* what was posted (which projects, how many points, which ranks) into the shape the voting
service takes; whether that is a valid ballot is decided by `services.voting.validate_ballot` alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from veche.budgeting.choices import BallotType, Eligibility

POINTS_FIELD = re.compile(r"^points-(\d{1,18})$")
RANK_FIELD = re.compile(r"^rank-(\d{1,18})$")
MAX_FIELDS = 2000  # more inputs than any ballot has: a crafted request cannot make us parse a million keys


class EligibilityForm(forms.Form):
    """The one fact the edition's eligibility asks for: an identifier from the residents' list, or a birth date."""

    resident_identifier = forms.CharField(
        label=_("Your identifier on the residents' list"),
        max_length=64,
        help_text=_("As the office gave it to you, e.g. your personal number. We compare it without storing it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    birth_date = forms.DateField(
        label=_("Your date of birth"),
        help_text=_("This budget has a minimum voting age. We check the date and do not store it."),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, edition: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if edition.eligibility != Eligibility.RESIDENTS:
            del self.fields["resident_identifier"]
        if edition.eligibility != Eligibility.MINIMUM_AGE or not edition.minimum_age:
            del self.fields["birth_date"]

    def clean_birth_date(self) -> Any:
        value = self.cleaned_data["birth_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(gettext("The date of birth cannot be in the future."), code="future")
        return value

    @property
    def needed(self) -> bool:
        return bool(self.fields)


class VotingCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your voting code"),
        max_length=40,
        help_text=_("It is printed in your letter, e.g. ABCD-EFGH-JKMN. Capitals, spaces and dashes do not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        help_text=_("The code you were shown after voting, e.g. ABCDE-FGHJK."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class BallotFilterForm(forms.Form):
    """Search and category filter of the ballot page; read from GET (links) or from the ballot form's POST."""

    q = forms.CharField(label=_("Search the projects"), max_length=100, required=False)
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    only_chosen = forms.BooleanField(label=_("Show only my choices"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_categories([])
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off", "enterkeyhint": "search"})

    def set_categories(self, categories: list[tuple[int, str]]) -> None:
        """The categories on this ballot (known once its projects are loaded); before `values()` is called."""
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", gettext("All categories")), *categories]

    def values(self) -> dict[str, Any]:
        """The filters to apply; invalid values are ignored (a stale category in a link shows everything)."""
        if not self.is_bound or not self.is_valid():
            return {"q": "", "category": None, "only_chosen": False}
        return {key: self.cleaned_data[key] for key in ("q", "category", "only_chosen")}


@dataclass
class Selection:
    """What the voter marked on the ballot form.

    `marks` maps a Proposal id to True (approval, knapsack), its points (cumulative) or its rank (ranking), as the
    form showed it; `projects`/`points` are what the voting service takes (ranked order for rankings, only projects
    with points for cumulative ballots). `errors` are inputs that could not be read at all (letters in a number).
    """

    marks: dict[int, Any] = field(default_factory=dict)
    projects: list[int] = field(default_factory=list)
    points: list[int] | None = None
    errors: list[str] = field(default_factory=list)

    def hidden_fields(self, ballot_type: str) -> list[tuple[str, str]]:
        """(name, value) pairs that carry this selection through the review page (same names as the ballot form)."""
        if ballot_type == BallotType.CUMULATIVE:
            return [(f"points-{pk}", str(value)) for pk, value in self.marks.items()]
        if ballot_type == BallotType.RANKING:
            return [(f"rank-{pk}", str(value)) for pk, value in self.marks.items()]
        return [("project", str(pk)) for pk in self.marks]


def _whole(text: str) -> int | None:
    text = text.strip()
    if not re.fullmatch(r"[+-]?\d{1,9}", text):
        return None
    return int(text)


def read_selection(data: Mapping[str, Any], ballot_type: str) -> Selection:
    """Read the voter's marks from the ballot form (a QueryDict). Field names by ballot type:

    approval / knapsack: `project=<id>` once per chosen project; cumulative: `points-<id>=<points>` (empty or 0 means
    not chosen); ranking: `rank-<id>=<rank>` (1 = first preference; empty means not ranked).
    """
    selection = Selection()
    if ballot_type in (BallotType.APPROVAL, BallotType.KNAPSACK):
        getlist = getattr(data, "getlist", None)
        values = getlist("project") if getlist else [data.get("project", "")]
        for value in values[:MAX_FIELDS]:
            number = _whole(str(value))
            if number is None or number <= 0:
                selection.errors.append(gettext("One of the chosen projects could not be read. Choose again."))
                continue
            selection.marks[number] = True
        selection.projects = list(selection.marks)
        return selection

    pattern = POINTS_FIELD if ballot_type == BallotType.CUMULATIVE else RANK_FIELD
    for key in list(data.keys())[:MAX_FIELDS]:
        match = pattern.match(key)
        if not match:
            continue
        text = str(data.get(key, "")).strip()
        if not text:
            continue
        number = _whole(text)
        if number is None:
            if ballot_type == BallotType.CUMULATIVE:
                message = gettext("Type points as whole numbers, e.g. 3.")
            else:
                message = gettext("Type ranks as whole numbers: 1 for your first choice, 2 for the next, and so on.")
            if message not in selection.errors:
                selection.errors.append(message)
            continue
        if number == 0 and ballot_type == BallotType.CUMULATIVE:
            continue
        selection.marks[int(match.group(1))] = number

    if ballot_type == BallotType.CUMULATIVE:
        selection.projects = list(selection.marks)
        selection.points = [selection.marks[pk] for pk in selection.projects]
        return selection

    ranked = sorted(selection.marks.items(), key=lambda item: (item[1], item[0]))
    ranks = [rank for _pk, rank in ranked]
    if any(rank < 1 for rank in ranks):
        selection.errors.append(gettext("Ranks start at 1 for your first choice."))
    repeated = sorted({rank for rank in ranks if ranks.count(rank) > 1})
    if repeated:
        selection.errors.append(
            gettext("You gave the same rank (%(ranks)s) to more than one project; give each project its own rank.")
            % {"ranks": ", ".join(str(rank) for rank in repeated)}
        )
    selection.projects = [pk for pk, _rank in ranked]
    return selection
