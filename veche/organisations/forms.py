"""Forms of the organisation pages: the list filters, the edit form and the role grant form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from veche.core.images import reencode_image
from veche.organisations.choices import Country, OrganisationKind, RoleKind
from veche.organisations.models import Organisation
from veche.organisations.querysets import OrganisationQuerySet

LANGUAGE_NAMES = dict(settings.LANGUAGES)
TRANSLATED_LANGUAGES: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)
LOGO_ACCEPT = "image/png,image/jpeg,image/webp,image/gif"


def https_by_default(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """ModelForm formfield_callback: an address typed without a scheme means https (Django 6's default already)."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class OrganisationFilterForm(forms.Form):
    """The search box and filters of the organisation list (a GET form: every state is a shareable URL)."""

    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrganisationKind.choices])
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("All countries")), *Country.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def filter(self, queryset: OrganisationQuerySet) -> OrganisationQuerySet:
        """Narrow queryset by the valid filters; the name search matches the name in any language."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if query := data["q"].strip():
            matches = Q()
            for code in TRANSLATED_LANGUAGES:
                matches |= Q(**{f"name_{code}__icontains": query})
            queryset = queryset.filter(matches)
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["country"]:
            queryset = queryset.filter(country=data["country"])
        return queryset

    @property
    def is_filtering(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


class OrganisationForm(forms.ModelForm):
    """Edit an organisation's public profile. The kind is fixed once created; only municipalities and regions have a
    population. The logo is re-encoded (veche.core.images) so we never serve the uploaded bytes.

    Validate against a throwaway copy of the organisation (ModelForm writes the cleaned values into its instance);
    the view hands `changes()` to services.update_organisation, which applies them to the real one.
    """

    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": LOGO_ACCEPT}),
        help_text=_("A JPEG, PNG, WebP or GIF image. It is resized to at most 1024 pixels and stripped of metadata."),
    )

    class Meta:
        model = Organisation
        formfield_callback = https_by_default
        fields = [
            *(f"name_{code}" for code in TRANSLATED_LANGUAGES),
            *(f"description_{code}" for code in TRANSLATED_LANGUAGES),
            "country",
            "region",
            "region_code",
            "population",
            "website",
            "latitude",
            "longitude",
            "logo",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in TRANSLATED_LANGUAGES:
            language = LANGUAGE_NAMES.get(code, code)
            name = self.fields[f"name_{code}"]
            name.label = _("Name (%(language)s)") % {"language": language}
            name.required = False
            name.widget.attrs["lang"] = code
            description = self.fields[f"description_{code}"]
            description.label = _("Description (%(language)s)") % {"language": language}
            description.help_text = _("Plain text; an empty line starts a new paragraph.")
            description.widget.attrs.update({"lang": code, "rows": 6})
        self.fields["region_code"].widget.attrs.update({"autocapitalize": "characters", "spellcheck": "false"})
        self.fields["website"].widget.attrs["autocomplete"] = "url"
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})
        if self.instance.kind not in (OrganisationKind.MUNICIPALITY, OrganisationKind.REGION):
            del self.fields["population"]

    @property
    def name_fields(self) -> list[forms.BoundField]:
        return [self[f"name_{code}"] for code in TRANSLATED_LANGUAGES]

    @property
    def description_fields(self) -> list[forms.BoundField]:
        return [self[f"description_{code}"] for code in TRANSLATED_LANGUAGES]

    @property
    def detail_fields(self) -> list[forms.BoundField]:
        return [
            self[name] for name in ("country", "region", "region_code", "population", "website") if name in self.fields
        ]

    @property
    def location_fields(self) -> list[forms.BoundField]:
        return [self["latitude"], self["longitude"]]

    def clean_logo(self) -> Any:
        upload = self.cleaned_data.get("logo")
        if isinstance(upload, UploadedFile):
            return reencode_image(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not any((cleaned.get(f"name_{code}") or "").strip() for code in TRANSLATED_LANGUAGES):
            language = get_language() or ""
            target = f"name_{language}" if language in TRANSLATED_LANGUAGES else f"name_{TRANSLATED_LANGUAGES[0]}"
            self.add_error(target, _("Give the organisation a name in at least one language."))
        return cleaned

    def changes(self) -> dict[str, Any]:
        """The changed fields as the service expects them: a cleared logo becomes "", an untouched one is left out."""
        changes: dict[str, Any] = {}
        for name in self.changed_data:
            value = self.cleaned_data[name]
            if name == "logo":
                if value is None:
                    continue
                value = value or ""
            changes[name] = value
        return changes


class GrantRoleForm(forms.Form):
    """Give an existing account a role; people sign up themselves, so we look them up by email."""

    email = forms.EmailField(
        label=_("Email address of the person"),
        help_text=_("The person must already have an account on this site."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)

    def clean_email(self) -> Any:
        email = self.cleaned_data["email"].strip().lower()
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No account uses this email address. Ask the person to sign up first, then try again."),
                code="no_account",
            )
        self.person = user
        return email
