from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class NotificationSettingsForm(forms.Form):
    email_enabled = forms.BooleanField(
        label=_("Also send me each notification by email"),
        required=False,
        help_text=_("You always see your notifications here; email is optional."),
    )
