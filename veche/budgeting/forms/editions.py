"""Forms of the edition set-up and the archive. They validate input; the services decide and save."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from veche.budgeting.choices import PoolKind
from veche.budgeting.models import Edition
from veche.budgeting.services.editions import EDITION_FIELDS, settings_problems


class EditionSettingsForm(forms.ModelForm):
    """All settings of an edition on one page, grouped in the template by `groups`."""

    groups = (
        (_("Money and rules"), ("total_budget", "currency", "rules_text")),
        (_("Ballot"), ("ballot_type", "max_choices", "points_per_voter", "max_points_per_project")),
        (_("Counting"), ("counting_rule", "completion", "fill_greedy", "tie_break", "threshold")),
        (
            _("Who may vote and how"),
            ("eligibility", "minimum_age", "allow_voting_codes", "allow_paper", "secret_ballot"),
        ),
        (_("Proposals"), ("signatures_required", "bounds_south", "bounds_west", "bounds_north", "bounds_east")),
    )

    class Meta:
        model = Edition
        fields = EDITION_FIELDS
        widgets = {
            "rules_text": forms.Textarea(attrs={"rows": 8}),
            "ballot_type": forms.RadioSelect,
            "counting_rule": forms.RadioSelect,
            "eligibility": forms.RadioSelect,
        }
        help_texts = {
            "threshold": _("Only for the rule with a minimum support: the votes a project needs to be funded."),
            "completion": _("Only for the Method of Equal Shares."),
            "fill_greedy": _("Only for the Method of Equal Shares: spend what is left on the most voted projects."),
            "points_per_voter": _("Only for cumulative ballots."),
            "max_points_per_project": _("Only for cumulative ballots; empty for no limit."),
            "minimum_age": _("Only when eligibility is by age."),
            "bounds_south": _(
                "The map area of the municipality, in decimal degrees: a proposal's place must lie inside. "
                "Leave all four empty to accept any place."
            ),
        }

    def __init__(self, *args: Any, voting_started: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.voting_started = voting_started
        self.fields["currency"].widget.attrs.update({"maxlength": 3, "autocapitalize": "characters"})
        for name in ("bounds_south", "bounds_west", "bounds_north", "bounds_east"):
            self.fields[name].widget.attrs["step"] = "any"

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if not self.errors:
            for name, messages in settings_problems(cleaned).items():
                for message in messages:
                    self.add_error(name, message)
        return cleaned

    def _post_clean(self) -> None:
        # The service saves; the ModelForm must not write the instance while validating.
        pass

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITION_FIELDS}

    def grouped_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(label, [self[name] for name in names]) for label, names in self.groups]


class PoolForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=PoolKind.choices,
        widget=forms.RadioSelect,
        help_text=_("Every voter votes in the citywide pool and in one district pool."),
    )
    budget = forms.DecimalField(label=_("Budget"), min_value=0, max_digits=14, decimal_places=2)


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)


class ArchiveFilterForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)

    def __init__(self, *args: Any, municipalities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["municipality"])
        field.choices = [("", _("All municipalities")), *municipalities]
