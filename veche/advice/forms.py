"""Forms of advice on request. They check the shape of the input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from veche.advice import attachments
from veche.advice.choices import AdviceStage, AdviceStatus, Rating
from veche.advice.filetypes import ALLOWED_EXTENSIONS
from veche.core.vocabulary import MethodChoices

AS_MYSELF = "self"


def language_choices() -> list[tuple[str, Any]]:
    from veche.network.choices import LanguageChoices

    return list(LanguageChoices.choices)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class RequestForm(forms.Form):
    on_behalf = forms.ChoiceField(
        label=_("Who is asking?"),
        widget=forms.RadioSelect,
        help_text=_("The staff of the organisation you choose can follow the request with you."),
    )
    title = forms.CharField(label=_("Subject"), max_length=150, help_text=_("One line, e.g. “Rules of our first PB”."))
    stage = forms.ChoiceField(label=_("What do you need help with?"), choices=AdviceStage.choices)
    method = forms.ChoiceField(
        label=_("Method"),
        required=False,
        choices=[("", _("Not sure yet"))] + list(MethodChoices.choices),
    )
    description = forms.CharField(
        label=_("Describe your situation and question"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What are you planning, for whom, and what is the question? Leave an empty line between paragraphs."
        ),
    )
    preferred_language = forms.ChoiceField(label=_("Language of the advice"))
    wanted_from = forms.DateField(label=_("Advice wanted from"), required=False, widget=DateInput())
    deadline = forms.DateField(
        label=_("Needed by"), required=False, widget=DateInput(), help_text=_("When you must decide or start.")
    )

    def __init__(self, *args: Any, organisations: list[Any], default_language: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(organisation.pk), organisation.name) for organisation in organisations]
        choices.append((AS_MYSELF, _("I ask as an individual member")))
        self.fields["on_behalf"].choices = choices
        self.fields["on_behalf"].initial = choices[0][0]
        self.fields["preferred_language"].choices = language_choices()
        if default_language:
            self.fields["preferred_language"].initial = default_language
        self._organisations = {str(organisation.pk): organisation for organisation in organisations}

    def organisation(self) -> Any:
        return self._organisations.get(self.cleaned_data["on_behalf"])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (veche.advice.attachments)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Leave an empty line between paragraphs. Everyone in this thread reads it."),
    )
    files = MultipleFileField(label=_("Attach files"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _(
            "Up to %(count)s files of at most %(size)s MB each: PDF, images, office documents, text or CSV."
        ) % {"count": attachments.max_files(), "size": attachments.max_bytes() // 1_000_000}


class AssignForm(forms.Form):
    expert = forms.TypedChoiceField(label=_("Expert"), coerce=int, widget=forms.RadioSelect)
    expected_expert = forms.IntegerField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note for the expert"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: why you chose them, what to look at first."),
    )

    def __init__(self, *args: Any, options: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [(option.user_id, option.name) for option in options]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can the network not help?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The requester reads this. Point them elsewhere if you can."),
    )


class CloseForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the advice"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was advised and what the requester decided to do; the network's coordinators read it."),
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How much did the advice help?"), coerce=int, choices=Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=pgettext_lazy("rating", "Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what helped, what was missing. The expert and the coordinators read it."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the message hidden?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in its place to everyone in the thread."),
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open requests"))] + list(AdviceStatus.choices) + [("all", _("All requests"))],
    )
    stage = forms.ChoiceField(
        label=_("Need"), required=False, choices=[("", pgettext_lazy("filter", "Any"))] + list(AdviceStage.choices)
    )
    method = forms.ChoiceField(
        label=_("Method"), required=False, choices=[("", pgettext_lazy("filter", "Any"))] + list(MethodChoices.choices)
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", pgettext_lazy("filter", "Any"))] + language_choices()
