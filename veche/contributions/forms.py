"""Forms of the report page and the moderation queue."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from veche.contributions.choices import ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong?"), choices=ReportReason.choices, widget=forms.RadioSelect)
    explanation = forms.CharField(
        label=_("Anything the moderators should know"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you choose “Something else”. The author does not see who reported."),
    )


class DismissForm(forms.Form):
    note = forms.CharField(
        label=_("Why does it stay?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The people who reported it will read this."),
    )
