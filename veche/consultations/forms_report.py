"""Forms of the report part: the work queue's filters and bulk actions, one response, a theme. They validate input
only; services/responses.py and services/report.py decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from veche.consultations.choices import ANSWERABLE_KINDS, Channel
from veche.consultations.models import ResponseOutcome, Section, Theme
from veche.consultations.querysets_report import needing_response


class QueueFilterForm(forms.Form):
    """Filters of the work queue; invalid values are reported and ignored, never a server error."""

    STATES = (
        ("", _("Any")),
        ("unanswered", _("Not answered yet")),
        ("answered", _("Answered")),
    )
    q = forms.CharField(label=_("Search the text"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("Answer"), choices=STATES, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    section = forms.ChoiceField(label=_("Section of the document"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)

    def __init__(self, *args: Any, consultation: Any, themes: list[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_choice = [("", _("Any"))]
        self.fields["kind"].choices = any_choice + [(kind.value, kind.label) for kind in ANSWERABLE_KINDS]
        self.fields["channel"].choices = any_choice + list(Channel.choices)
        sections = Section.objects.filter(document__consultation=consultation).select_related("document")
        self.fields["section"].choices = any_choice + [
            (str(section.pk), f"{section.document.title}: {section}") for section in sections
        ]
        self.fields["theme"].choices = (
            any_choice
            + [("none", pgettext_lazy("theme", "Without a theme"))]
            + [(str(theme.pk), theme.title) for theme in themes]
        )

    @property
    def active(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


class ResponseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ResponseOutcome.choices, widget=forms.RadioSelect, required=True
    )
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Why: residents read this in the report. Plain words, and say what changes."),
    )


class BulkForm(forms.Form):
    """What to do with the contributions selected in the queue."""

    ACTIONS = (
        ("answer", _("Answer the selected contributions")),
        ("theme", _("Put the selected contributions into a theme")),
        ("untheme", _("Take the selected contributions out of their theme")),
    )
    contributions = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Contributions"), error_messages={"required": _("Select at least one contribution.")}
    )
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS, widget=forms.RadioSelect)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *ResponseOutcome.choices], required=False)
    justification = forms.CharField(
        label=_("Justification"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )
    theme = forms.ModelChoiceField(queryset=None, label=_("Existing theme"), required=False)
    new_theme = forms.CharField(label=_("…or a new theme"), max_length=200, required=False)

    def __init__(self, *args: Any, consultation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contributions"].queryset = needing_response(consultation)
        self.fields["theme"].queryset = Theme.objects.filter(consultation=consultation)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        action = data.get("action")
        if action == "answer":
            if not data.get("outcome"):
                self.add_error("outcome", _("Choose the outcome for the selected contributions."))
            if not (data.get("justification") or "").strip():
                self.add_error("justification", _("Explain the decision: residents read this justification."))
        elif action == "theme" and not data.get("theme") and not (data.get("new_theme") or "").strip():
            self.add_error("theme", _("Choose a theme or type the title of a new one."))
        return data


class ThemeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("What the contributions in this theme have in common."),
    )


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("What was decided and why"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        required=False,
        help_text=_(
            "In plain words: what the decision is, what changed because of residents' views and what did not, and why."
        ),
    )


SCALE_CHOICES = [(str(value), str(value)) for value in range(1, 6)]


class EvaluationForm(forms.Form):
    """The three fixed questions (1 = not at all, 5 = fully) and a comment."""

    comment = forms.CharField(
        label=_("Anything else you want to tell the organisers?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from veche.consultations.services.evaluation import QUESTIONS

        super().__init__(*args, **kwargs)
        for key, label in reversed(QUESTIONS):
            field = forms.TypedChoiceField(
                label=label,
                choices=SCALE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                help_text=_("1 = not at all, 5 = fully"),
            )
            self.fields = {key: field, **self.fields}

    def answers(self) -> dict[str, int]:
        from veche.consultations.services.evaluation import QUESTIONS

        return {key: self.cleaned_data[key] for key, _label in QUESTIONS}


class ChecklistForm(forms.Form):
    """One rating and note per item of the consultation's standard (fields rating_<id>, note_<id>)."""

    def __init__(self, *args: Any, items: list[Any], assessments: dict[int, Any], **kwargs: Any) -> None:
        from veche.consultations.models import StandardRating

        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            current = assessments.get(item.pk)
            self.fields[f"rating_{item.pk}"] = forms.ChoiceField(
                label=item.title,
                choices=[("", _("Not assessed")), *StandardRating.choices],
                required=False,
                widget=forms.RadioSelect,
                help_text=item.description,
                initial=current.rating if current else "",
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Note on “%(item)s”") % {"item": item.title},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.note if current else "",
            )

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [(item, self[f"rating_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def ratings(self) -> dict[int, tuple[str, str]]:
        return {
            item.pk: (self.cleaned_data[f"rating_{item.pk}"], self.cleaned_data[f"note_{item.pk}"])
            for item in self.items
        }


class StandardSetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    min_open_days = forms.IntegerField(
        label=_("Minimum days open"),
        min_value=1,
        max_value=365,
        help_text=_("Consultations open for fewer days need the coordinator's confirmation."),
    )


class StandardItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    weight = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0, required=False)


class PopulationImportForm(forms.Form):
    MAX_BYTES = 200_000
    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_("Columns: dimension, group, residents. At most 200 kB."),
    )
    text = forms.CharField(
        label=_("…or paste the lines"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=MAX_BYTES,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > self.MAX_BYTES:
                raise forms.ValidationError(_("The file is larger than 200 kB."))
            raw = upload.read()
            try:
                data["content"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                try:
                    data["content"] = raw.decode("cp1250")
                except UnicodeDecodeError as exc:
                    raise forms.ValidationError(_("Save the file as UTF-8 text (CSV).")) from exc
        else:
            data["content"] = data.get("text") or ""
        if not data["content"].strip():
            raise forms.ValidationError(_("Choose a file or paste the lines."))
        return data


class PopulationForm(forms.Form):
    """Residents per age band and gender (districts come by CSV)."""

    def __init__(self, *args: Any, figures: dict[tuple[str, str], int], **kwargs: Any) -> None:
        from veche.consultations.choices import AgeBand, Gender

        super().__init__(*args, **kwargs)
        self.groups = []
        for dimension, choices in (("age_band", AgeBand), ("gender", Gender)):
            for key, label in choices.choices:
                if key == "undisclosed":
                    continue
                name = f"{dimension}__{key}"
                self.fields[name] = forms.IntegerField(
                    label=label,
                    min_value=0,
                    max_value=100_000_000,
                    required=False,
                    initial=figures.get((dimension, key)),
                )
                self.groups.append((dimension, key, name))

    def by_dimension(self, dimension: str) -> list[Any]:
        return [self[name] for group_dimension, _key, name in self.groups if group_dimension == dimension]

    def figures(self) -> list[Any]:
        from veche.consultations.population_csv import Figure

        return [
            Figure(dimension, key, self.cleaned_data[name])
            for dimension, key, name in self.groups
            if self.cleaned_data.get(name) is not None
        ]
