"""Forms of the person's own pages: profile, API tokens, account deletion."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from veche.accounts.models import ApiToken, User


class ProfileForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Preferred language"),
        required=False,
        help_text=_("Emails and notifications are written in this language."),
    )

    class Meta:
        model = User
        fields = ["display_name", "language"]
        help_texts = {"display_name": _("Shown next to what you write in public. Leave empty to stay anonymous.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("No preference")), *settings.LANGUAGES]
        self.fields["display_name"].widget.attrs["autocomplete"] = "nickname"

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if any(unicodedata.category(char).startswith("C") for char in name):
            raise forms.ValidationError(_("The name contains characters that cannot be displayed."), code="control")
        if "@" in name:
            raise forms.ValidationError(
                _("Do not use an email address as your public name; others would see it."), code="email"
            )
        if name and not any(char.isalnum() for char in name):
            raise forms.ValidationError(_("The name needs at least one letter or digit."), code="no_letters")
        return name


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the token a name."), code="required")
        return name


class DeleteAccountForm(forms.Form):
    """Asks for the password and an explicit confirmation, so a left-open session cannot erase the account."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data will be erased and this cannot be undone."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="wrong_password")
        return password
