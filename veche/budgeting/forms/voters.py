"""Forms of the office's voting pages: the residents' list, voting codes, paper batches and typing in a paper ballot."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from veche.budgeting.choices import BallotType
from veche.budgeting.services.voters import MAX_CODES

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ResidentsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Residents' list (CSV)"),
        help_text=_(
            "One identifier per line (e.g. the personal number), optionally followed by a comma and the name of the "
            "resident's district pool. An optional first line “identifier,district” is skipped. Only salted hashes "
            "of the identifiers are stored; uploading again replaces the whole list."
        ),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        data: bytes = upload.read()
        return data


class GenerateCodesForm(forms.Form):
    batch = forms.CharField(
        label=_("Batch label"),
        max_length=80,
        help_text=_("E.g. “Letters, district 3” or “Polling station at the library”."),
    )
    count = forms.IntegerField(label=_("Number of codes"), min_value=1, max_value=MAX_CODES, required=False)
    residents = forms.FileField(
        label=_("Or: one code per resident (CSV)"),
        required=False,
        help_text=_(
            "Identifiers of residents on the list, one per line, like the residents' list. Each gets their own code, "
            "which votes as that resident: they cannot vote again with an account or another code. The download "
            "pairs each identifier with its code for the letters."
        ),
    )

    def __init__(self, *args: Any, for_residents: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not for_residents:
            del self.fields["residents"]

    def clean_residents(self) -> bytes | None:
        upload = self.cleaned_data.get("residents")
        if not upload:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        data: bytes = upload.read()
        return data

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors and not cleaned.get("count") and not cleaned.get("residents"):
            raise forms.ValidationError(
                _("Give the number of codes, or a file of residents to draw one code each for."), code="nothing"
            )
        return cleaned


class PaperBatchForm(forms.Form):
    label = forms.CharField(
        label=_("Label"), max_length=120, help_text=_("E.g. the polling station and the box number.")
    )
    sheets = forms.IntegerField(label=_("Sheets in the batch"), min_value=1, max_value=100_000)


_ENTRY = re.compile(r"^(\d+)(?::(\d+))?$")


class PaperBallotForm(forms.Form):
    """One paper sheet: the pool, the project numbers as printed on the sheet (in order for rankings; "12:3" for
    3 points on project 12 in cumulative ballots) and, in residents' list editions, the identifier written on it."""

    pool = forms.TypedChoiceField(label=_("Pool"), coerce=int)
    numbers = forms.CharField(
        label=_("Project numbers"),
        max_length=4000,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "autofocus": True}),
    )
    resident_identifier = forms.CharField(
        label=_("Resident's identifier written on the sheet"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Optional. Typed in, the resident cannot also vote online; it is stored only as a salted hash."),
    )

    def __init__(self, *args: Any, edition: Any, pools: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.edition = edition
        pool_field = self.fields["pool"]
        assert isinstance(pool_field, forms.TypedChoiceField)  # noqa: S101 - narrows the type for mypy
        pool_field.choices = [(pool.pk, pool.name) for pool in pools]
        if len(pools) == 1:
            self.fields["pool"].initial = pools[0].pk
        if edition.eligibility != "residents":
            del self.fields["resident_identifier"]
        self.fields["numbers"].help_text = {
            BallotType.CUMULATIVE: _("Separated by commas, each with its points after a colon: 12:3, 45:2."),
            BallotType.RANKING: _("Separated by commas, first preference first: 12, 45, 7."),
        }.get(edition.ballot_type, _("Separated by commas or spaces: 12, 45, 7."))

    def clean_numbers(self) -> list[tuple[int, int | None]]:
        text = re.sub(r"\s*:\s*", ":", self.cleaned_data["numbers"])
        entries = []
        for part in (part for part in re.split(r"[,;\s]+", text) if part):
            match = _ENTRY.match(part)
            if match is None:
                if self.edition.ballot_type == BallotType.CUMULATIVE:
                    message = _("“%(part)s” is not a project number with points, such as 12:3.")
                else:
                    message = _("“%(part)s” is not a project number.")
                raise forms.ValidationError(message % {"part": part[:20]})
            entries.append((int(match.group(1)), int(match.group(2)) if match.group(2) else None))
        if not entries:
            raise forms.ValidationError(_("Type the numbers of the projects marked on the sheet."))
        return entries
