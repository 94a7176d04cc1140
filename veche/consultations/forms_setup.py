"""Forms of the consultation set-up and of the consultation lists. They validate input; the services decide and save."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from veche.consultations.choices import MethodKind, TargetGroup
from veche.consultations.geo import AreaError, parse_area
from veche.consultations.services.setup import MethodInput
from veche.core.models import Topic

DATETIME_INPUT = "%Y-%m-%dT%H:%M"
DATE_INPUT = "%Y-%m-%d"


def _datetime_field(label: Any, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        help_text=help_text,
        input_formats=[DATETIME_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )


def _languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class SummaryMixin(forms.Form):
    """The summary textarea asks the readability indicator (htmx) for a verdict as the coordinator types."""

    def wire_readability(self, url: str) -> None:
        self.fields["summary"].widget.attrs.update(
            {
                "hx-post": url,
                "hx-trigger": "input changed delay:700ms, load",
                "hx-target": "#readability",
                "hx-swap": "innerHTML",
                "hx-include": "#id_summary, #id_language",
                "aria-describedby": "readability",
            }
        )


class ConsultationStartForm(SummaryMixin):
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        max_length=200,
        help_text=gettext_lazy("What the consultation is about, in a few words: “A new park by the river”."),
    )
    summary = forms.CharField(
        label=gettext_lazy("Plain-language summary"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "What is being decided and why residents' views matter, in short sentences and everyday words."
        ),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the consultation"),
        help_text=gettext_lazy("The consultation's texts and the contributions are in this language."),
    )
    decision = forms.CharField(
        label=gettext_lazy("The decision it will inform"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For example: the council approves the park's design in June."),
    )
    decision_maker = forms.CharField(label=gettext_lazy("Who takes the decision"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["language"]).choices = _languages()


class ConsultationDetailsForm(ConsultationStartForm):
    """Everything that describes the consultation: texts, contact, topics and target groups."""

    contact_name = forms.CharField(label=gettext_lazy("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=gettext_lazy("Contact email"), required=False)
    contact_phone = forms.CharField(
        label=gettext_lazy("Contact phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    topics = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.MultipleChoiceField(
        label=gettext_lazy("Target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Whom the consultation sets out to reach; the report checks whether it did."),
    )

    groups = (
        (gettext_lazy("What is consulted"), ("subject", "summary", "language", "decision", "decision_maker")),
        (gettext_lazy("Contact"), ("contact_name", "contact_email", "contact_phone")),
        (gettext_lazy("Topics and people"), ("topics", "target_groups")),
    )

    def grouped_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(label, [self[name] for name in names]) for label, names in self.groups]

    def detail_values(self) -> dict[str, Any]:
        names = ("subject", "summary", "decision", "decision_maker", "language")
        names += ("contact_name", "contact_email", "contact_phone")
        return {name: self.cleaned_data[name] for name in names}

    @classmethod
    def initial_for(cls, consultation: Any) -> dict[str, Any]:
        initial = {
            name: getattr(consultation, name)
            for name in ("subject", "summary", "language", "decision", "decision_maker")
            + ("contact_name", "contact_email", "contact_phone")
        }
        initial["topics"] = list(consultation.topics.all())
        initial["target_groups"] = [row.group for row in consultation.target_groups.all()]
        return initial


class TimelineForm(forms.Form):
    announced_at = _datetime_field(
        gettext_lazy("Announced"), gettext_lazy("Optional: from when the consultation is shown before it opens.")
    )
    opens_at = _datetime_field(gettext_lazy("Opens"))
    closes_at = _datetime_field(gettext_lazy("Closes"), gettext_lazy("Comments are accepted until this moment."))
    report_due = forms.DateField(
        label=gettext_lazy("Report due"),
        required=False,
        input_formats=[DATE_INPUT],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT),
        help_text=gettext_lazy("By this day every contribution is answered and the report is published."),
    )
    confirm_short_period = forms.BooleanField(
        label=gettext_lazy("I confirm that this consultation may be shorter than the standard asks"),
        required=False,
    )

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("announced_at", "opens_at", "closes_at", "report_due")}


class MethodForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Method"), choices=[("", "—"), *MethodKind.choices], required=False)
    description = forms.CharField(
        label=gettext_lazy("Short description"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    starts_at = _datetime_field(gettext_lazy("Starts"))
    ends_at = _datetime_field(gettext_lazy("Ends"))
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        filled = any(cleaned.get(name) for name in ("description", "starts_at", "ends_at", "place"))
        if filled and not cleaned.get("kind") and not cleaned.get("DELETE"):
            self.add_error("kind", _("Choose the method."))
        return cleaned


class BaseMethodFormSet(forms.BaseFormSet):
    def methods(self) -> list[MethodInput]:
        chosen = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get("kind") or data.get("DELETE"):
                continue
            chosen.append(
                MethodInput(
                    kind=data["kind"],
                    description=data.get("description") or "",
                    starts_at=data.get("starts_at"),
                    ends_at=data.get("ends_at"),
                    place=data.get("place") or "",
                )
            )
        return chosen


MethodFormSet = forms.formset_factory(MethodForm, formset=BaseMethodFormSet, extra=2, can_delete=True, max_num=30)

AREA_MESSAGES = {
    "not_json": gettext_lazy("Enter a point as “latitude, longitude” (e.g. 50.028, 15.200) or a GeoJSON geometry."),
    "too_long": gettext_lazy("The area is too detailed; draw it with fewer points."),
    "not_geometry": gettext_lazy("This is not a GeoJSON geometry: give a Point, Polygon or MultiPolygon."),
    "bad_type": gettext_lazy("Only a point or an area (Polygon, MultiPolygon) can be stored."),
    "bad_position": gettext_lazy("A position is not a valid longitude and latitude."),
    "bad_ring": gettext_lazy("An area needs at least three different corners."),
    "too_many_positions": gettext_lazy("The area is too detailed; draw it with fewer points."),
}


class AreaForm(forms.Form):
    area = forms.CharField(
        label=gettext_lazy("Area (GeoJSON or a point)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
        help_text=gettext_lazy(
            "Click on the map to draw the area corner by corner, or to place one point. Without the map, type a "
            "point as “latitude, longitude” or paste a GeoJSON geometry. Leave empty for no area."
        ),
    )

    def clean_area(self) -> Any:
        try:
            return parse_area(self.cleaned_data.get("area") or "")
        except AreaError as error:
            raise forms.ValidationError(AREA_MESSAGES[error.code], code=error.code) from None


class ReadabilityForm(forms.Form):
    summary = forms.CharField(required=False, max_length=20_000, strip=False)
    language = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["language"]).choices = _languages()


# --- Finding ---------------------------------------------------------------------------------------------------------

STATE_OPEN, STATE_UPCOMING, STATE_CLOSED = "open", "upcoming", "closed"


class ConsultationFilterForm(forms.Form):
    """Filters of the consultation lists, the map and the feeds. Invalid values are reported and ignored."""

    STATES = (
        ("", pgettext_lazy("consultation state filter", "Any state")),
        (STATE_OPEN, pgettext_lazy("consultation state", "Open now")),
        (STATE_UPCOMING, pgettext_lazy("consultation state", "Upcoming")),
        (STATE_CLOSED, pgettext_lazy("consultation state", "Closed")),
    )
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    state = forms.ChoiceField(label=pgettext_lazy("consultation state", "State"), required=False, choices=STATES)
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False)
    organisation = forms.ChoiceField(label=gettext_lazy("Municipality or organisation"), required=False)
    network = forms.ChoiceField(label=gettext_lazy("Network"), required=False)
    group = forms.ChoiceField(label=gettext_lazy("Target group"), required=False)

    def __init__(
        self,
        *args: Any,
        organisations: list[tuple[str, str]] | None = None,
        networks: list[tuple[str, str]] | None = None,
        topics: list[Topic] | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        cast(forms.ChoiceField, self.fields["topic"]).choices = [
            ("", _("All topics")),
            *[(topic.slug, topic.name) for topic in topics or []],
        ]
        cast(forms.ChoiceField, self.fields["group"]).choices = [("", _("Everyone")), *TargetGroup.choices]
        if networks:
            cast(forms.ChoiceField, self.fields["network"]).choices = [("", _("All networks")), *networks]
        else:
            del self.fields["network"]
        if organisations is None:
            del self.fields["organisation"]
        else:
            cast(forms.ChoiceField, self.fields["organisation"]).choices = [
                ("", _("All organisations")),
                *organisations,
            ]

    def clean_q(self) -> str:
        return " ".join((self.cleaned_data.get("q") or "").replace("\x00", "").split())

    def filters(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}
