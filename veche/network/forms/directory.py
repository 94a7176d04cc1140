"""The directory's search box and filters (a GET form: every state is a shareable URL)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from veche.core.models import Method, Topic
from veche.network.choices import Availability, LanguageChoices
from veche.network.models import PractitionerProfile
from veche.network.search import search_profiles, visible_filter
from veche.organisations.choices import Country


def language_condition(code: str) -> Q:
    """The profile lists the language: JSON containment on PostgreSQL (jsonb @>), the quoted code in the JSON text
    elsewhere (codes are fixed two-letter keys, so a quoted code matches one element only)."""
    if connection.vendor == "postgresql":
        return Q(languages__contains=[code])
    return Q(languages__icontains=f'"{code}"')


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    network = forms.ChoiceField(label=_("Network"), required=False)
    method = forms.ChoiceField(label=_("Method"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("All countries")), *Country.choices]
    )
    region = forms.CharField(label=_("Region"), required=False, max_length=120)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *LanguageChoices.choices]
    )
    availability = forms.ChoiceField(
        label=_("Available as"), required=False, choices=[("", _("Anything")), *Availability.choices]
    )

    def __init__(self, *args: Any, networks: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.networks = {network.slug: network for network in networks}
        self.fields["network"].choices = [("", _("All networks"))] + [
            (network.slug, network.name) for network in networks
        ]
        self.fields["method"].choices = [("", _("Any method"))] + [
            (method.slug, method.name) for method in Method.objects.order_by("weight", "slug")
        ]
        self.fields["topic"].choices = [("", _("Any topic"))] + [
            (topic.slug, topic.name) for topic in Topic.objects.order_by("weight", "slug")
        ]
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        self.fields["q"].help_text = _(
            "Names, organisations, what people wrote about themselves, the processes they ran."
        )

    @property
    def selected_network(self) -> Any:
        return self.networks.get(self.cleaned_data.get("network") or "") if self.is_valid() else None

    @property
    def is_filtering(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())

    def filter(self, queryset: Any) -> Any:
        """Narrow a queryset annotated with_clearance(): every filter matches only fields the viewer may see."""
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if self.selected_network is not None:
            queryset = queryset.in_networks({self.selected_network.pk})
        queryset = search_profiles(queryset, data["q"])
        through = PractitionerProfile.methods.through
        if data["method"]:
            ids = through.objects.filter(method__slug=data["method"]).values("practitionerprofile_id")
            queryset = queryset.filter(visible_filter("methods", Q(pk__in=ids)))
        if data["topic"]:
            ids = PractitionerProfile.topics.through.objects.filter(topic__slug=data["topic"]).values(
                "practitionerprofile_id"
            )
            queryset = queryset.filter(visible_filter("topics", Q(pk__in=ids)))
        if data["country"]:
            queryset = queryset.filter(visible_filter("location", Q(country=data["country"])))
        if region := data["region"].strip():
            queryset = queryset.filter(visible_filter("location", Q(region__icontains=region)))
        if data["language"]:
            queryset = queryset.filter(visible_filter("languages", language_condition(data["language"])))
        if data["availability"]:
            queryset = queryset.filter(
                visible_filter("availability", Q(**{f"available_as_{data['availability']}": True}))
            )
        return queryset
