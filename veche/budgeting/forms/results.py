"""Forms of the results part: ballot search, the Pabulib upload, implementation updates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from veche.budgeting.choices import ImplementationStatus

MAX_PABULIB_BYTES = 50 * 1024 * 1024
NEW_PROCESS = "new"


class BallotSearchForm(forms.Form):
    receipt = forms.CharField(
        label=_("Receipt code"),
        max_length=20,
        required=False,
        help_text=_("The code you got when you voted, e.g. ABCDE-12345."),
    )


class PabulibImportForm(forms.Form):
    """Which process gets the imported edition (an existing one or a new one), the file and the edition's title."""

    process = forms.ChoiceField(label=_("Process"), help_text=_("The imported edition becomes a module of it."))
    new_process_title = forms.CharField(
        label=_("Title of the new process"), max_length=200, required=False, help_text=_("Only for a new process.")
    )
    title = forms.CharField(
        label=_("Title of the edition"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the file's description."),
    )
    file = forms.FileField(label=_("Pabulib file (.pb)"), help_text=_("A .pb file from pabulib.org, UTF-8 text."))

    def __init__(self, *args: Any, processes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["process"].choices = [(NEW_PROCESS, _("A new process"))] + [
            (str(pk), title) for pk, title in processes
        ]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PABULIB_BYTES:
            raise ValidationError(_("The file is larger than 50 MB."), code="too_large")
        if not upload.name.lower().endswith(".pb"):
            raise ValidationError(_("Choose a file whose name ends in .pb."), code="extension")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("process") == NEW_PROCESS and not (data.get("new_process_title") or "").strip():
            self.add_error("new_process_title", _("Give the new process a title."))
        return data


class ImplementationUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ImplementationStatus.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    text = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=5000
    )
    cancel_reason = forms.CharField(
        label=_("Why it was cancelled"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Required when the project is cancelled; shown to everyone."),
    )
    photo = forms.ImageField(label=_("Photo"), required=False, help_text=_("JPEG, PNG, WebP or GIF."))
    photo_alt = forms.CharField(
        label=_("Description of the photo"),
        max_length=200,
        required=False,
        help_text=_("What the photo shows, for people who cannot see it. Required with a photo."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") == ImplementationStatus.CANCELLED and not (data.get("cancel_reason") or "").strip():
            self.add_error("cancel_reason", _("Say why the project was cancelled."))
        if data.get("photo") and not (data.get("photo_alt") or "").strip():
            self.add_error("photo_alt", _("Describe the photo for people who cannot see it."))
        return data
