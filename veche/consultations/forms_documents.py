"""Forms of the documents part: importing a document, commenting, replying, moderating, attachments, taking part
without an account, one-time codes. Business rules live in the services; these only parse."""

from __future__ import annotations

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from veche.consultations.services.documents_comments import MAX_NAME, MAX_TEXT, MAX_WORDING
from veche.consultations.services.documents_moderation import MAX_REASON
from veche.consultations.services.documents_participation import MAX_CODES


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("Upload a file"),
        required=False,
        help_text=_("DOCX, ODT or PDF with text (not a scan), up to 10 MB. Or paste the text below."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.odt,.pdf"}),
    )
    text = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "data-rich-paste": "true"}),
        help_text=_(
            "Headings start sections (numbered ones such as “1.”, “§ 3” or “Article 2” keep their number); every "
            "other paragraph gets a number residents comment on. Paste from a word processor to keep headings and "
            "lists."
        ),
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Upload a file or paste the text."))
        return data


class DocumentSaveForm(forms.Form):
    """The preview's form: the split document travels back as HTML and is split (and sanitised) again."""

    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(widget=forms.HiddenInput)
    source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=10)


def new_token() -> str:
    return secrets.token_urlsafe(16)


class ContributionForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain text. Say what you think and why; links are shown as text."),
    )
    proposed_text = forms.CharField(
        label=_("Your wording of this paragraph"),
        required=False,
        max_length=MAX_WORDING,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Change the paragraph as you would like it to read. Leave it as it is to comment only."),
    )
    display_name = forms.CharField(
        label=_("Name shown with your comment"),
        required=False,
        max_length=MAX_NAME,
        help_text=_("Optional. Leave empty to appear as “Resident”. Your email address is never shown."),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, with_wording: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_wording:
            del self.fields["proposed_text"]
        self.fields["token"].initial = new_token()


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your reply"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4}))
    display_name = forms.CharField(label=_("Name shown with your reply"), required=False, max_length=MAX_NAME)
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = new_token()


class ModerationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown publicly)"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: “it insults another participant”. Refer to the code of conduct."),
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False, help_text=_("Empty: the file's name."))
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG, JPEG, GIF, WebP, DOCX, XLSX, ODT or ODS, up to 20 MB."),
    )
    document = forms.ModelChoiceField(label=_("Belongs to the document"), required=False, queryset=None)

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents
        self.fields["document"].empty_label = _("(the whole consultation)")


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send you a link to confirm it. It is never shown to anyone."),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your one-time code"),
        max_length=40,
        help_text=_("The code from your letter, e.g. ABCDE-FGH23. Capitals and dashes do not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class CodeBatchForm(forms.Form):
    count = forms.IntegerField(label=_("How many codes"), min_value=1, max_value=MAX_CODES, initial=100)
    label = forms.CharField(
        label=_("Label"), max_length=100, required=False, help_text=_("For you, e.g. “letters to Riverside Street”.")
    )
