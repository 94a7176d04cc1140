"""Forms of the membership pages: the application, a coordinator's decision, leaving, ending, settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from veche.network.models import NetworkSettings

ME = "me"


class ApplicationForm(forms.Form):
    applicant = forms.ChoiceField(
        label=_("Who applies"),
        widget=forms.RadioSelect,
        help_text=_("You can apply for yourself or for an organisation you administer or coordinate."),
    )
    motivation = forms.CharField(
        label=_("Why do you want to join?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    region = forms.CharField(
        label=_("Region where you work"),
        max_length=120,
        help_text=_("For example South Moravia, Małopolska, the whole country."),
    )
    experience = forms.CharField(
        label=_("Your experience with participation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Processes you ran or took part in, methods you know, what you would like to learn."),
    )

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(organisation.pk): organisation for organisation in organisations}
        choices = [(ME, _("Myself, as a practitioner"))]
        choices += [(key, organisation.name) for key, organisation in self.organisations.items()]
        self.fields["applicant"].choices = choices
        self.fields["applicant"].initial = ME
        if not organisations:
            self.fields["applicant"].widget = forms.HiddenInput()

    @property
    def organisation(self) -> Any:
        return self.organisations.get(self.cleaned_data.get("applicant", ME))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("accept", _("Accept")), ("decline", pgettext_lazy("application", "Decline"))],
    )
    message = forms.CharField(
        label=_("Message to the applicant"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("Required when you decline: say why, and what would make a new application succeed."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("message") or "").strip():
            self.add_error("message", _("Tell the applicant why you decline."))
        return data


class LeaveForm(forms.Form):
    message = forms.CharField(
        label=_("Anything you want to tell the coordinators? (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class EndMembershipForm(forms.Form):
    message = forms.CharField(
        label=_("Why does the membership end?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The member reads this message."),
    )


class NetworkSettingsForm(forms.ModelForm):
    class Meta:
        model = NetworkSettings
        fields = ["member_list_visibility", "accepts_applications", "application_intro"]
        widgets = {
            "member_list_visibility": forms.RadioSelect,
            "application_intro": forms.Textarea(attrs={"rows": 4}),
        }

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
