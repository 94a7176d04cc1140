"""Forms of the map of participation: the case itself, its photos, the editors' decisions, the filters, and the
choice of network when a finished process becomes a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veche.cases import geo
from veche.cases.choices import Decision
from veche.cases.querysets import CaseFilters
from veche.cases.services import CaseInput
from veche.core.vocabulary import MethodChoices, TopicChoices
from veche.organisations.choices import Country

MAX_LINKS = 20
AREA_MESSAGES = {
    "too_long": _("The area is too long (at most %(limit)s characters); simplify the outline."),
    "not_json": _("The area is not valid JSON. Paste GeoJSON as exported by a map tool."),
    "not_geometry": _("The area must be a GeoJSON geometry, a Feature or a FeatureCollection."),
    "one_feature": _("A FeatureCollection for the area must hold exactly one feature."),
    "not_polygon": _("The area must be a Polygon or a MultiPolygon."),
    "bad_coordinates": _("The area's coordinates are not lists of [longitude, latitude] pairs."),
    "out_of_range": _("A point of the area is off the map: longitude must be −180 to 180, latitude −90 to 90."),
    "ring_too_short": _("Each outline of the area needs at least three different points."),
    "ring_not_closed": _("Each outline of the area must end where it starts."),
    "too_many_points": _("The area has more than %(limit)s points; simplify the outline."),
    "too_many_rings": _("The area has more than %(limit)s outlines."),
}


def parse_links(text: str) -> tuple[tuple[str, str], ...]:
    """Lines of "Label | https://…" (the label may be left out) → ((label, url), …); ValidationError names a line."""
    links = []
    validate = URLValidator(schemes=["http", "https"])
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_LINKS:
        raise ValidationError(_("At most %(limit)s links."), params={"limit": MAX_LINKS}, code="too_many_links")
    for number, line in enumerate(lines, start=1):
        label, _sep, url = line.rpartition("|") if "|" in line else ("", "", line)
        label, url = label.strip()[:120], url.strip()
        try:
            validate(url)
        except ValidationError as error:
            raise ValidationError(
                _("Line %(number)s is not a web address (https://…)."), params={"number": number}, code="bad_link"
            ) from error
        if len(url) > 500:
            raise ValidationError(_("Line %(number)s is too long."), params={"number": number}, code="bad_link")
        links.append((label or url, url))
    return tuple(links)


def links_text(links: Any) -> str:
    return "\n".join(f"{label} | {url}" if label and label != url else url for label, url in links or ())


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class CaseForm(forms.Form):
    network = forms.ModelChoiceField(label=_("Network"), queryset=None, empty_label=None)
    language = forms.ChoiceField(
        label=_("Language of the text"),
        choices=settings.LANGUAGES,
        help_text=_("Write in your own language; readers see which one it is."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three plain sentences: what was decided with residents, and how."),
    )
    municipality = forms.CharField(label=_("Municipality"), max_length=120)
    region = forms.CharField(label=_("Region"), max_length=120, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    latitude = forms.DecimalField(label=_("Latitude"), min_value=-90, max_value=90, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude"), min_value=-180, max_value=180, max_digits=9, decimal_places=6)
    area = forms.CharField(
        label=_("Area (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("A GeoJSON Polygon or MultiPolygon, e.g. exported from geojson.io, for a process about an area."),
    )
    started_on = forms.DateField(label=_("Started"), widget=DateInput())
    ended_on = forms.DateField(label=_("Ended"), required=False, widget=DateInput())
    methods = forms.MultipleChoiceField(
        label=_("Methods"), choices=MethodChoices.choices, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=TopicChoices.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    organiser = forms.CharField(
        label=_("Who organised it"), max_length=200, help_text=_("The office, organisation or group that ran it.")
    )
    participants = forms.IntegerField(label=_("How many took part"), min_value=0, max_value=100_000_000, required=False)
    participants_note = forms.CharField(
        label=_("Who took part"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Residents of a district, young people, seniors, NGOs …"),
    )
    budget = forms.DecimalField(label=_("Budget"), min_value=0, max_digits=14, decimal_places=2, required=False)
    currency = forms.CharField(
        label=_("Currency"), max_length=3, required=False, help_text=_("ISO code, e.g. CZK, PLN or EUR.")
    )
    results = forms.CharField(
        label=_("Results"), max_length=6000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    changes = forms.CharField(
        label=_("What changed"),
        max_length=6000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the municipality did differently because of it."),
    )
    lessons = forms.CharField(
        label=_("Lessons learned"),
        max_length=6000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you would do again, and what not."),
    )
    links = forms.CharField(
        label=_("Documents and links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("One per line: a label, a vertical bar and the address, e.g. Final report | https://…"),
    )
    note = forms.CharField(
        label=_("What did you change? (optional)"),
        max_length=500,
        required=False,
        help_text=_("Editors read this with the new version."),
    )

    def __init__(self, *args: Any, networks: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["network"].queryset = networks
        if case is not None:
            del self.fields["network"]
        else:
            del self.fields["note"]
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})
        self.fields["latitude"].help_text = _("Click the map to fill in both, or type them in.")
        self.fields["currency"].widget.attrs.update({"autocapitalize": "characters", "size": "4"})
        self.order_fields(["network"])

    @staticmethod
    def initial_for(data: CaseInput) -> dict[str, Any]:
        return {
            "language": data.language,
            "title": data.title,
            "summary": data.summary,
            "municipality": data.municipality,
            "region": data.region,
            "country": data.country,
            "latitude": data.latitude,
            "longitude": data.longitude,
            "area": geo.dumps(data.area),
            "started_on": data.started_on,
            "ended_on": data.ended_on,
            "methods": list(data.methods),
            "topics": list(data.topics),
            "organiser": data.organiser,
            "participants": data.participants,
            "participants_note": data.participants_note,
            "budget": data.budget,
            "currency": data.currency,
            "results": data.results,
            "changes": data.changes,
            "lessons": data.lessons,
            "links": links_text(data.links),
        }

    def clean_area(self) -> dict[str, Any] | None:
        try:
            return geo.parse_area(self.cleaned_data.get("area", ""))
        except geo.AreaError as error:
            raise ValidationError(AREA_MESSAGES[error.code], params=error.params, code=error.code) from error

    def clean_links(self) -> tuple[tuple[str, str], ...]:
        return parse_links(self.cleaned_data.get("links", ""))

    def clean_currency(self) -> str:
        currency = self.cleaned_data.get("currency", "").strip().upper()
        if currency and not (len(currency) == 3 and currency.isalpha() and currency.isascii()):
            raise ValidationError(_("A currency is three letters, e.g. CZK."), code="bad_currency")
        return currency

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", ValidationError(_("The end is before the start."), code="ends_before_start"))
        if started and started > timezone.localdate() + dt.timedelta(days=366 * 2):
            self.add_error("started_on", ValidationError(_("A case is something that has happened."), code="future"))
        if cleaned.get("budget") is not None and not cleaned.get("currency"):
            self.add_error(
                "currency", ValidationError(_("Say in which currency the budget is."), code="currency_needed")
            )
        return cleaned

    def to_input(self, *, organisation_id: int | None = None) -> CaseInput:
        data = self.cleaned_data
        return CaseInput(
            title=data["title"].strip(),
            summary=data["summary"].strip(),
            language=data["language"],
            municipality=data["municipality"].strip(),
            region=data["region"].strip(),
            country=data["country"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            area=data["area"],
            started_on=data["started_on"],
            ended_on=data["ended_on"],
            methods=tuple(sorted(data["methods"])),
            topics=tuple(sorted(data["topics"])),
            organisation_id=organisation_id,
            organiser=data["organiser"].strip(),
            participants=data["participants"],
            participants_note=data["participants_note"].strip(),
            budget=data["budget"],
            currency=data["currency"],
            results=data["results"].strip(),
            changes=data["changes"].strip(),
            lessons=data["lessons"].strip(),
            links=data["links"],
        )


class PhotoForm(forms.Form):
    image = forms.ImageField(label=_("Photo"), help_text=_("JPEG, PNG, WebP or GIF. Its location data is removed."))
    alt = forms.CharField(
        label=_("Description of the photo"),
        max_length=200,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    credit = forms.CharField(label=_("Author of the photo"), max_length=120, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Message to the author"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when you return the case: say what to change."),
    )


class UnpublishForm(forms.Form):
    note = forms.CharField(
        label=_("Why the case leaves the map"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The author reads this and can change the case and submit it again."),
    )


class NetworkChoiceForm(forms.Form):
    network = forms.ModelChoiceField(label=_("Network"), queryset=None, empty_label=None)

    def __init__(self, *args: Any, networks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks


class CaseFilterForm(forms.Form):
    """The filters of the map and the list (GET). Invalid values are ignored rather than refused."""

    network = forms.ChoiceField(label=_("Network"), required=False)
    method = forms.ChoiceField(label=_("Method"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    municipality = forms.CharField(label=_("Municipality"), max_length=100, required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, networks: list[tuple[str, str]], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _("All"))
        self.fields["network"].choices = [everything, *networks]
        self.fields["method"].choices = [everything, *MethodChoices.choices]
        self.fields["topic"].choices = [everything, *TopicChoices.choices]
        self.fields["country"].choices = [everything, *Country.choices]
        self.fields["year"].choices = [everything, *((year, str(year)) for year in years)]
        self.fields["municipality"].widget.attrs.update({"autocomplete": "off"})

    def filters(self) -> CaseFilters:
        if not self.is_bound:
            return CaseFilters()
        if not self.is_valid():
            cleaned = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        else:
            cleaned = self.cleaned_data
        return CaseFilters(
            network=cleaned.get("network") or "",
            method=cleaned.get("method") or "",
            topic=cleaned.get("topic") or "",
            country=cleaned.get("country") or "",
            municipality=(cleaned.get("municipality") or "").strip().replace("\x00", ""),
            year=cleaned.get("year") or None,
        )
