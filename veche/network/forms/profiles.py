"""The practitioner's profile form (each field group with its own visibility), the contact form and the
moderators' form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from veche.core.models import Method, Topic
from veche.network.choices import LanguageChoices
from veche.network.models import PractitionerProfile
from veche.network.processes import MAX_PROCESSES, ProcessLineError, format_processes, parse_processes
from veche.network.visibility import GROUPS

PHOTO_ACCEPT = "image/png,image/jpeg,image/webp,image/gif"

# Which form fields each visibility covers, in the order the form shows them.
GROUP_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "photo": ("photo", "remove_photo"),
    "organisation": ("organisation_name",),
    "role": ("role",),
    "location": ("region", "country"),
    "languages": ("languages",),
    "methods": ("methods",),
    "topics": ("topics",),
    "bio": ("bio",),
    "experience": ("years_of_experience",),
    "processes": ("processes_text",),
    "availability": (
        "available_as_mentor",
        "available_as_facilitator",
        "available_as_trainer",
        "available_as_advisor",
    ),
}
GROUP_LEGENDS = {
    "name": _("Name"),
    "photo": _("Photo"),
    "organisation": _("Organisation"),
    "role": _("Role"),
    "location": _("Region and country"),
    "languages": _("Languages"),
    "methods": _("Methods"),
    "topics": _("Topics"),
    "bio": _("About you"),
    "experience": _("Experience"),
    "processes": _("Processes you ran"),
    "availability": _("Availability"),
}
PROCESS_ERRORS = {
    "too_many": _("Line %(line)s: list at most %(max)s processes."),
    "no_title": _("Line %(line)s: write the title before the address."),
    "title_too_long": _("Line %(line)s: the title is too long (200 characters at most)."),
    "url_too_long": _("Line %(line)s: the address is too long."),
    "bad_url": _("Line %(line)s: an address starts with https://, http:// or / (a page on this site)."),
}


class ProfileForm(forms.ModelForm):
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
        help_text=_("A JPEG, PNG, WebP or GIF image. We resize it and remove its metadata, location included."),
    )
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages you work in"),
        choices=LanguageChoices.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    methods = forms.ModelMultipleChoiceField(
        label=_("Methods you know"),
        queryset=Method.objects.order_by("weight", "slug"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics you work on"),
        queryset=Topic.objects.order_by("weight", "slug"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    processes_text = forms.CharField(
        label=_("Processes you ran"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line: the title, then | and an address if there is one — a case on the map, a process on "
            "veche or a page elsewhere."
        ),
    )

    class Meta:
        model = PractitionerProfile
        fields = [
            "is_published",
            "name",
            "organisation_name",
            "role",
            "region",
            "country",
            "bio",
            "years_of_experience",
            "available_as_mentor",
            "available_as_facilitator",
            "available_as_trainer",
            "available_as_advisor",
            "accepts_messages",
            *(f"{group}_visibility" for group in GROUPS),
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk:
            self.initial.setdefault("languages", instance.languages)
            self.initial.setdefault("processes_text", format_processes(instance.processes or []))
        for group in GROUPS:
            field = self.fields[f"{group}_visibility"]
            field.label = _("Who sees this")
            field.help_text = ""
        self.fields["years_of_experience"].widget.attrs.update({"min": 0, "max": 80})
        self.fields["years_of_experience"].max_value = 80

    def clean_years_of_experience(self) -> int | None:
        value = self.cleaned_data.get("years_of_experience")
        if value is not None and value > 80:
            raise forms.ValidationError(_("Please enter a number of years up to 80."))
        return value

    def clean_processes_text(self) -> list[dict[str, str]]:
        try:
            return parse_processes(self.cleaned_data.get("processes_text", ""))
        except ProcessLineError as error:
            raise forms.ValidationError(
                PROCESS_ERRORS[error.reason], params={"line": error.line, "max": MAX_PROCESSES}
            ) from None

    def groups(self) -> list[dict[str, Any]]:
        """The fieldsets of the template: each group's fields and its visibility select."""
        return [
            {
                "key": group,
                "legend": GROUP_LEGENDS[group],
                "fields": [self[name] for name in GROUP_FIELDS[group] if name in self.fields],
                "visibility": self[f"{group}_visibility"],
            }
            for group in GROUPS
        ]

    def changes(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["languages"] = list(self.cleaned_data.get("languages") or [])
        data["processes"] = self.cleaned_data.get("processes_text") or []
        return data


class ContactForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    share_email = forms.BooleanField(
        label=_("Share my email address with the practitioner"),
        required=False,
        help_text=_("So that they can reply to you directly. Otherwise they can reply only if you have a profile."),
    )


class ModerationForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you hide it?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person reads this, and so do the people who reported it."),
    )
