"""Forms of the participation pages. They validate input only; the services decide and save."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from veche.participation import phases as timeline
from veche.participation.models import Phase, Process
from veche.participation.registry import ModuleType

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def _language_names() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class ProcessTextsForm(forms.Form):
    """Title and summary in every language, and the process's address. A title in one language is enough."""

    slug = forms.SlugField(
        label=gettext_lazy("Short name in the address"),
        max_length=80,
        required=False,
        help_text=gettext_lazy("Letters, digits and hyphens. Leave empty to make one from the title."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in _language_names():
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name}, max_length=200, required=False
            )
        for code, name in _language_names():
            self.fields[f"summary_{code}"] = forms.CharField(
                label=_("Summary (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("A few plain sentences: what is decided, by whom and how people take part."),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if not any(cleaned.get(f"title_{code}") for code, _name in _language_names()):
            first = f"title_{settings.LANGUAGES[0][0]}"
            self.add_error(first, _("Give a title in at least one language."))
        return cleaned

    def texts(self, field: str) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"{field}_{code}", "") for code, _name in _language_names()}

    @classmethod
    def initial_for(cls, process: Process) -> dict[str, Any]:
        initial: dict[str, Any] = {"slug": process.slug, "is_published": process.is_published}
        for code, _name in _language_names():
            initial[f"title_{code}"] = getattr(process, f"title_{code}") or ""
            initial[f"summary_{code}"] = getattr(process, f"summary_{code}") or ""
        return initial


class ProcessEditForm(ProcessTextsForm):
    is_published = forms.BooleanField(
        label=gettext_lazy("Published"),
        required=False,
        help_text=gettext_lazy(
            "Published processes are visible to everyone; drafts only to your organisation's staff."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = True
        self.fields["slug"].help_text = _("Changing it changes the address of the process page.")
        self.order_fields(["slug", *[name for name in self.fields if name != "slug"]])


class ProcessFilterForm(forms.Form):
    """Filters of the process list. Invalid values are reported and ignored, never a server error."""

    STATES = (
        ("", pgettext_lazy("process state filter", "Any state")),
        (timeline.PhaseState.ACTIVE, pgettext_lazy("process state", "Under way")),
        (timeline.PhaseState.UPCOMING, pgettext_lazy("process state", "Upcoming")),
        (timeline.PhaseState.FINISHED, pgettext_lazy("process state", "Finished")),
    )
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"), required=False)
    state = forms.ChoiceField(label=pgettext_lazy("process state", "State"), required=False, choices=STATES)

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [("", _("All organisations")), *organisations]


class AddModuleForm(forms.Form):
    module_type = forms.ChoiceField(label=gettext_lazy("Kind of module"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, module_types: tuple[ModuleType, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["module_type"]).choices = [(item.key, item.name) for item in module_types]


class PhaseDatesForm(forms.Form):
    """The dates of one phase. Both or neither; the end after the start. Order and overlaps are checked by the
    service over the whole timeline."""

    phase = forms.IntegerField(widget=forms.HiddenInput)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Starts"),
        required=False,
        input_formats=[DATETIME_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("Ends"),
        required=False,
        input_formats=[DATETIME_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        help_text=gettext_lazy("The phase ends just before this moment."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if "starts_at" in self.errors or "ends_at" in self.errors:
            return cleaned
        if (starts_at is None) != (ends_at is None):
            missing = "ends_at" if ends_at is None else "starts_at"
            self.add_error(missing, _("Give both a start and an end, or leave both empty."))
        elif starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start."))
        return cleaned


class BasePhaseFormSet(forms.BaseFormSet):
    """One form per phase of the module, in the declared order; forms cannot be added or removed."""

    def __init__(self, *args: Any, phases: list[Phase], **kwargs: Any) -> None:
        self.phases = phases
        kwargs.setdefault("initial", [{"phase": p.pk, "starts_at": p.starts_at, "ends_at": p.ends_at} for p in phases])
        super().__init__(*args, **kwargs)
        for form, phase in zip(self.forms, phases, strict=False):
            form.phase_object = phase

    def clean(self) -> None:
        super().clean()
        expected = [phase.pk for phase in self.phases]
        given = [form.cleaned_data.get("phase") for form in self.forms if hasattr(form, "cleaned_data")]
        if sorted(given) != sorted(expected):
            raise ValidationError(_("The list of phases changed meanwhile; please reload the page."))

    def add_timeline_error(self, error: ValidationError) -> None:
        """Show the service's verdict on the whole timeline above the forms."""
        self.non_form_errors().extend(error.messages)

    def schedule(self) -> dict[int, tuple[Any, Any]]:
        return {
            form.cleaned_data["phase"]: (form.cleaned_data["starts_at"], form.cleaned_data["ends_at"])
            for form in self.forms
        }


class PhaseFormSet(BasePhaseFormSet):
    """What formset_factory(PhaseDatesForm, formset=BasePhaseFormSet, extra=0) builds, spelled out for type checkers."""

    form = PhaseDatesForm
    extra = 0
    can_order = False
    can_delete = False
    can_delete_extra = False
    min_num = 0
    max_num = 1000
    absolute_max = 2000
    validate_min = False
    validate_max = False
    renderer = None
