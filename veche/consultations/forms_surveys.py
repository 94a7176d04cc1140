"""Forms of the survey part: the builder (settings, a question and its options), the resident's answer form built
from the questions, and offline input (one contribution, or a stack of them as a formset)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from veche.consultations.choices import OFFLINE_CHANNELS, AgeBand, Channel, Gender
from veche.consultations.models import Option, Question, Survey
from veche.consultations.models.surveys import QuestionKind, ResultsVisibility
from veche.consultations.services.surveys import (
    Demographics,
    OptionInput,
    QuestionInput,
    check_answers,
)
from veche.consultations.survey_engine.spec import LONG_TEXT_MAX, SCALE_LIMIT, SHORT_TEXT_MAX

REQUIRED_MESSAGE = _("Please answer this question.")


# --- builder ---------------------------------------------------------------------------------------------------------
class SurveySettingsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the survey is for and how long it takes, in a few words."),
    )
    results_visibility = forms.ChoiceField(label=_("Who sees the results"), choices=ResultsVisibility.choices)
    ask_demographics = forms.BooleanField(
        label=_("Ask about age, gender and district"),
        required=False,
        help_text=_(
            "Asked once per consultation, always optional, and only ever shown in aggregate with small groups hidden."
        ),
    )
    districts = forms.CharField(
        label=_("Districts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line. Leave empty not to ask where people live."),
    )
    is_published = forms.BooleanField(label=_("Published: residents can answer in the open phase"), required=False)

    @classmethod
    def initial_for(cls, survey: Survey) -> dict[str, Any]:
        return {
            "title": survey.title,
            "intro": survey.intro,
            "results_visibility": survey.results_visibility,
            "ask_demographics": survey.ask_demographics,
            "districts": "\n".join(survey.districts),
            "is_published": survey.is_published,
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["districts"] = data["districts"].splitlines()
        return data


class AddQuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices)


class QuestionForm(forms.Form):
    """The fields of one question; those that do not apply to its kind are left out."""

    text = forms.CharField(label=_("Question"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    help_text = forms.CharField(
        label=_("Help text"), max_length=500, required=False, help_text=_("Shown under the question; optional.")
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    scale_min = forms.IntegerField(label=_("Lowest value"), min_value=0, max_value=SCALE_LIMIT, initial=1)
    scale_max = forms.IntegerField(label=_("Highest value"), min_value=0, max_value=SCALE_LIMIT, initial=5)
    scale_min_label = forms.CharField(
        label=_("Label of the lowest value"), max_length=80, required=False, help_text=_("E.g. “not at all”.")
    )
    scale_max_label = forms.CharField(
        label=_("Label of the highest value"), max_length=80, required=False, help_text=_("E.g. “very much”.")
    )
    max_choices = forms.IntegerField(
        label=_("At most this many choices"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for no limit."),
    )

    SCALE_FIELDS = ("scale_min", "scale_max", "scale_min_label", "scale_max_label")

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != QuestionKind.SCALE:
            for name in self.SCALE_FIELDS:
                del self.fields[name]
        if kind != QuestionKind.MULTIPLE:
            del self.fields["max_choices"]

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        return {
            "text": question.text,
            "help_text": question.help_text,
            "required": question.required,
            "scale_min": question.scale_min,
            "scale_max": question.scale_max,
            "scale_min_label": question.scale_min_label,
            "scale_max_label": question.scale_max_label,
            "max_choices": question.max_choices,
        }

    def to_input(self, options: Sequence[OptionInput] = ()) -> QuestionInput:
        data = self.cleaned_data
        return QuestionInput(
            text=data["text"],
            help_text=data.get("help_text", ""),
            required=data.get("required", False),
            scale_min=data.get("scale_min") if data.get("scale_min") is not None else 1,
            scale_max=data.get("scale_max") if data.get("scale_max") is not None else 5,
            scale_min_label=data.get("scale_min_label", ""),
            scale_max_label=data.get("scale_max_label", ""),
            max_choices=data.get("max_choices"),
            options=options,
        )


class OptionForm(forms.Form):
    option = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("Option"), max_length=300, required=False)


class BaseOptionFormSet(forms.BaseFormSet):
    def rows(self, existing: Sequence[Option]) -> list[OptionInput]:
        """The options in their new order (ORDER numbers, then position), bound to the question's own options."""
        by_id = {option.pk: option for option in existing}
        ordered: list[tuple[float, int, OptionInput]] = []
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None) or {}
            option = by_id.get(data.get("option") or 0)
            text = (data.get("text") or "").strip()
            if option is None and not text:
                continue
            order = data.get("ORDER")
            ordered.append(
                (
                    order if order is not None else float("inf"),
                    index,
                    OptionInput(text=text, option=option, delete=bool(data.get("DELETE"))),
                )
            )
        return [row for *_, row in sorted(ordered, key=lambda item: (item[0], item[1]))]


def option_formset(data: Any = None, *, question: Question | None = None, extra: int = 3) -> BaseOptionFormSet:
    initial = (
        [
            {"option": option.pk, "text": option.text, "ORDER": index + 1}
            for index, option in enumerate(question.options.all())
        ]
        if question is not None
        else []
    )
    formset_class = forms.formset_factory(
        OptionForm, formset=BaseOptionFormSet, extra=extra, can_delete=True, can_order=True, max_num=30, absolute_max=40
    )
    return formset_class(data, initial=initial, prefix="options")


# --- answering -------------------------------------------------------------------------------------------------------
@dataclass
class QuestionItem:
    """One question of the answer form as the template shows it."""

    question: Question
    number: int
    fields: list[BoundField]
    errors: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def first_id(self) -> str:
        return self.fields[0].id_for_label if self.fields else ""

    @property
    def rows(self) -> list[tuple[Option, BoundField]]:
        """Ranking: each option with its rank select."""
        return list(zip(self.question.options.all(), self.fields, strict=True))


def _float(text: str) -> float:
    return float(text.strip().replace(",", "."))


class SurveyAnswerForm(forms.Form):
    """A field (or a group of fields) per question, named q<id> (ranking: q<id>_o<option id>; map point: q<id>_lat
    and q<id>_lon), plus the demographic questions when asked. clean() hands the values to the survey engine through
    check_answers, so the form and the service refuse the same answers with the same messages."""

    def __init__(
        self,
        *args: Any,
        survey: Survey,
        questions: Sequence[Question],
        ask_demographics: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = list(questions)
        self.ask_demographics = ask_demographics
        for question in self.questions:
            self._add_fields(question)
        if ask_demographics:
            self.fields["demo_age_band"] = forms.ChoiceField(
                label=_("Your age"), choices=AgeBand.choices, required=False, widget=forms.RadioSelect
            )
            self.fields["demo_gender"] = forms.ChoiceField(
                label=_("Your gender"), choices=Gender.choices, required=False, widget=forms.RadioSelect
            )
            if survey.districts:
                self.fields["demo_district"] = forms.ChoiceField(
                    label=_("Where you live"),
                    choices=[("", pgettext_lazy("district", "— not saying —"))]
                    + [(name, name) for name in survey.districts],
                    required=False,
                )

    def _add_fields(self, question: Question) -> None:
        key = f"q{question.pk}"
        help_text = question.help_text
        messages = {"required": REQUIRED_MESSAGE}
        options = [(str(option.pk), option.text) for option in question.options.all()]
        kind = question.kind
        if kind == QuestionKind.SINGLE:
            self.fields[key] = forms.ChoiceField(
                label=question.text,
                help_text=help_text,
                choices=options,
                required=question.required,
                widget=forms.RadioSelect,
                error_messages=messages,
            )
        elif kind == QuestionKind.MULTIPLE:
            if question.max_choices and not help_text:
                help_text = _("Choose up to %(count)s.") % {"count": question.max_choices}
            self.fields[key] = forms.MultipleChoiceField(
                label=question.text,
                help_text=help_text,
                choices=options,
                required=question.required,
                widget=forms.CheckboxSelectMultiple,
                error_messages=messages,
            )
        elif kind == QuestionKind.SCALE:
            steps = []
            for value in question.scale_steps:
                label = str(value)
                if value == question.scale_min and question.scale_min_label:
                    label = f"{value} – {question.scale_min_label}"
                elif value == question.scale_max and question.scale_max_label:
                    label = f"{value} – {question.scale_max_label}"
                steps.append((str(value), label))
            self.fields[key] = forms.ChoiceField(
                label=question.text,
                help_text=help_text,
                choices=steps,
                required=question.required,
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                error_messages=messages,
            )
        elif kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            long = kind == QuestionKind.LONG_TEXT
            self.fields[key] = forms.CharField(
                label=question.text,
                help_text=help_text,
                required=question.required,
                max_length=LONG_TEXT_MAX if long else SHORT_TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 5}) if long else forms.TextInput,
                error_messages=messages,
            )
        elif kind == QuestionKind.RANKING:
            count = len(options)
            ranks = [("", pgettext_lazy("rank", "—"))] + [(str(rank), str(rank)) for rank in range(1, count + 1)]
            for option_id, text in options:
                self.fields[f"{key}_o{option_id}"] = forms.ChoiceField(
                    label=text, choices=ranks, required=False, widget=forms.Select(attrs={"data-rank": ""})
                )
        elif kind == QuestionKind.MAP_POINT:
            self.fields[f"{key}_lat"] = forms.CharField(
                label=_("Latitude"),
                required=False,
                max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            self.fields[f"{key}_lon"] = forms.CharField(
                label=_("Longitude"),
                required=False,
                max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )

    def field_names(self, question: Question) -> list[str]:
        key = f"q{question.pk}"
        if question.kind == QuestionKind.RANKING:
            return [f"{key}_o{option.pk}" for option in question.options.all()]
        if question.kind == QuestionKind.MAP_POINT:
            return [f"{key}_lat", f"{key}_lon"]
        return [key]

    def items(self) -> list[QuestionItem]:
        items = []
        for number, question in enumerate(self.questions, start=1):
            names = self.field_names(question)
            bound = [self[name] for name in names]
            errors = [str(error) for name in names for error in self.errors.get(name, [])]
            items.append(QuestionItem(question=question, number=number, fields=bound, errors=errors))
        return items

    def demographic_fields(self) -> list[BoundField]:
        return [self[name] for name in ("demo_age_band", "demo_gender", "demo_district") if name in self.fields]

    def _value(self, question: Question, data: dict[str, Any]) -> Any:
        key = f"q{question.pk}"
        kind = question.kind
        if kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
            raw = data.get(key)
            return int(raw) if raw not in (None, "") else None
        if kind == QuestionKind.MULTIPLE:
            return [int(item) for item in data.get(key) or []]
        if kind == QuestionKind.RANKING:
            return {
                option.pk: int(data[f"{key}_o{option.pk}"]) if data.get(f"{key}_o{option.pk}") else None
                for option in question.options.all()
            }
        if kind == QuestionKind.MAP_POINT:
            lat, lon = (data.get(f"{key}_lat") or "").strip(), (data.get(f"{key}_lon") or "").strip()
            if not lat and not lon:
                return None
            try:
                return _float(lat), _float(lon)
            except ValueError:
                return ("?", "?")
        return data.get(key, "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        failed = set(self.errors)
        values = {}
        for question in self.questions:
            if failed & set(self.field_names(question)):
                continue
            values[question.pk] = self._value(question, data)
        checked = [question for question in self.questions if question.pk in values]
        try:
            self.answers = check_answers(self.survey, checked, values)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                question = next(item for item in checked if str(item.pk) == key)
                self.add_error(self.field_names(question)[0], messages)
            self.answers = {}
        return data

    def demographics(self) -> Demographics | None:
        if not self.ask_demographics:
            return None
        data = self.cleaned_data
        return Demographics(
            age_band=data.get("demo_age_band", ""),
            gender=data.get("demo_gender", ""),
            district=data.get("demo_district", ""),
        )


# --- offline input ---------------------------------------------------------------------------------------------------
class OfflineContributionForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(channel.value, channel.label) for channel in OFFLINE_CHANNELS]
    )
    received_on = forms.DateField(
        label=_("Received on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day of the meeting, walk or letter."),
    )
    author_label = forms.CharField(
        label=_("From"),
        max_length=200,
        required=False,
        help_text=_("Who it came from, without personal data unless they agreed, e.g. “meeting in the town hall”."),
    )
    paragraph = forms.TypedChoiceField(label=_("About the paragraph"), coerce=int, required=False, empty_value=None)
    text = forms.CharField(
        label=_("What was said or written"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self,
        *args: Any,
        paragraphs: Sequence[tuple[int, str]] = (),
        default_channel: str = "",
        default_date: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Field-level defaults, so that an untouched extra row of the formset counts as empty.
        self.fields["channel"].initial = default_channel or Channel.MEETING
        self.fields["received_on"].initial = default_date or timezone.localdate()
        self.fields["paragraph"].choices = [("", _("— the consultation as a whole —"))] + list(paragraphs)
        if not paragraphs:
            del self.fields["paragraph"]

    def has_changed(self) -> bool:
        """A row counts as filled in once it has a text, a source or a paragraph; channel and date alone (they have
        defaults) leave an extra row of the formset empty."""
        return any(
            (self.data.get(self.add_prefix(name)) or "").strip() for name in ("text", "author_label", "paragraph")
        )

    def clean_received_on(self) -> Any:
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value


class BaseOfflineFormSet(forms.BaseFormSet):
    def filled(self) -> list[dict[str, Any]]:
        return [form.cleaned_data for form in self.forms if getattr(form, "cleaned_data", None)]

    def clean(self) -> None:
        super().clean()
        if not any(getattr(form, "cleaned_data", None) for form in self.forms):
            raise ValidationError(_("Fill in at least one contribution."))


def offline_formset(
    data: Any = None,
    *,
    paragraphs: Sequence[tuple[int, str]] = (),
    rows: int = 5,
    default_channel: str = "",
    default_date: Any = None,
) -> BaseOfflineFormSet:
    formset_class = forms.formset_factory(
        OfflineContributionForm, formset=BaseOfflineFormSet, extra=rows, max_num=50, absolute_max=60
    )
    return formset_class(
        data,
        prefix="entries",
        form_kwargs={"paragraphs": paragraphs, "default_channel": default_channel, "default_date": default_date},
    )
