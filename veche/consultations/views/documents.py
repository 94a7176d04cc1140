"""Document pages: importing (paste or upload → preview → save), replacing and deleting; the document page with
its sections and numbered paragraphs (comment counts only, so 300 paragraphs and 2,000 comments stay one page);
the paragraph page with the whole conversation on it and the comment form; replies, support and moderation.
Thin: fetch and authorise, call services/documents*.py, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from veche.consultations.access import get_consultation_for_user
from veche.consultations.choices import ContributionKind, ContributionStatus, ParticipationMode
from veche.consultations.documents_links import (
    PLACEHOLDER,
    consultation_kwargs,
    contribution_url,
    document_url,
    numbered,
    paragraph_url,
    paragraph_urls,
)
from veche.consultations.forms_documents import (
    ContributionForm,
    DocumentForm,
    DocumentSaveForm,
    ModerationForm,
    ReplyForm,
)
from veche.consultations.importing import html_to_text, paragraph_count
from veche.consultations.models import Contribution, Document, Paragraph
from veche.consultations.module import COMMENT
from veche.consultations.querysets_documents import (
    attachments_of,
    sections_for_document_page,
    supported_ids,
    threads_for_paragraph_page,
)
from veche.consultations.services import documents as services
from veche.consultations.services.documents_comments import (
    is_verified,
    post_contribution,
    set_support,
)
from veche.consultations.services.documents_moderation import hide_contribution, restore_contribution
from veche.consultations.services.participants import current_participant, participant_for_user
from veche.consultations.textdiff import MAX_PAIRS, word_diff
from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes

MANAGE = "consultations.change_consultation"
THREADS_PER_PAGE = 20
PAGE_DIFF_PAIRS = 2_000_000


def default_code_of_conduct() -> str:
    return _(
        "Be respectful: criticise ideas, not people. Stay on the topic of the consultation. No insults, threats, "
        "hate, advertising or other people's personal data. Moderators hide contributions that break these rules "
        "and always say why."
    )


def code_of_conduct(consultation: Any) -> str:
    return consultation.code_of_conduct.strip() or default_code_of_conduct()


def participation(request: HttpRequest, consultation: Any) -> dict[str, Any]:
    """What the visitor may do and, if they may not, what to tell them (closed, sign in, verify, code). At most two
    queries (the participant; whether an anonymous one used a code)."""
    mode = consultation.participation_mode
    context: dict[str, Any] = {
        "can_comment": False,
        "prompt": "",
        "participant": None,
        "mode": mode,
        "code_of_conduct": code_of_conduct(consultation),
    }
    if not consultation.module.allows(COMMENT):
        context["prompt"] = "closed" if consultation.is_closed() else "not_open"
        return context
    if not request.user.has_perm("consultations.comment_consultation", consultation):
        context["prompt"] = "sign_in"
        return context
    participant = current_participant(request, consultation)
    context["participant"] = participant
    if request.user.is_authenticated or participant is not None and is_verified(participant):
        context["can_comment"] = True
    else:
        context["prompt"] = "email" if mode == ParticipationMode.VERIFIED_EMAIL else "code"
    return context


def speaking_participant(request: HttpRequest, consultation: Any) -> Any:
    """The participant a write speaks for: the account's (created on first contribution) or the session's."""
    if request.user.is_authenticated:
        return participant_for_user(user=request.user, consultation=consultation)
    return current_participant(request, consultation)


def get_document(consultation: Any, document_id: int) -> Document:
    document = get_object_or_404(Document, pk=document_id, consultation=consultation)
    document.consultation = consultation
    return document


def get_paragraph(document: Document, number: int) -> Paragraph:
    paragraph = get_object_or_404(Paragraph.objects.select_related("section"), document=document, number=number)
    paragraph.document = document
    return paragraph


def get_contribution(consultation: Any, contribution_id: int) -> Contribution:
    contribution = get_object_or_404(
        Contribution.objects.select_related("paragraph", "participant__user"),
        pk=contribution_id,
        consultation=consultation,
    )
    contribution.consultation = consultation
    return contribution


def _crumbs(consultation: Any, *more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(consultation.subject, consultation.get_absolute_url()), *more]


# --- importing -------------------------------------------------------------------------------------------------------


def _import(request: HttpRequest, consultation: Any, document: Document | None) -> HttpResponse:
    """Shared by adding and replacing: step 1 the source (upload or paste), step 2 the preview, step 3 save."""
    template = "consultations/documents/document_form.html"
    here = _("Replace the document") if document else _("Add a document")
    context: dict[str, Any] = {
        "consultation": consultation,
        "document": document,
        "crumbs": _crumbs(consultation, (here, None)),
    }
    if document is not None and services.has_contributions(document):
        context["locked"] = True
    if request.method == "POST" and request.POST.get("step") == "save":
        save_form = DocumentSaveForm(request.POST)
        if save_form.is_valid():
            data = save_form.cleaned_data
            try:
                if document is None:
                    saved = services.save_document(
                        actor=request.user,
                        consultation=consultation,
                        title=data["title"],
                        content=data["content"],
                        source=data["source"],
                    )
                    messages.success(request, _("The document is saved. Residents can comment once it is open."))
                else:
                    saved = services.replace_document(
                        actor=request.user,
                        document=document,
                        title=data["title"],
                        content=data["content"],
                        source=data["source"],
                    )
                    messages.success(request, _("The document is replaced."))
                return redirect(document_url(saved, consultation))
            except ValidationError as error:
                form = DocumentForm(initial={"title": data["title"]})
                return render(request, template, {**context, "form": form, "errors": error.messages})
        form = DocumentForm()
        return render(request, template, {**context, "form": form})
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            try:
                if upload is not None and upload.size > services.importing.MAX_SOURCE_BYTES:
                    raise services.import_problem(services.importing.DocumentImportError("too_large"))
                content, source = services.read_source(
                    text=form.cleaned_data.get("text") or "", data=upload.read() if upload is not None else None
                )
                sections = services.split(content)
            except ValidationError as error:
                form.add_error("file" if upload is not None else "text", error)
            else:
                save_form = DocumentSaveForm(
                    initial={
                        "title": form.cleaned_data["title"],
                        "content": services.drafts_as_html(sections),
                        "source": source,
                    }
                )
                return render(
                    request,
                    "consultations/documents/document_preview.html",
                    {
                        **context,
                        "sections": sections,
                        "paragraph_total": paragraph_count(sections),
                        "save_form": save_form,
                        "title": form.cleaned_data["title"],
                    },
                )
    else:
        form = DocumentForm(initial={"title": document.title} if document else None)
    return render(request, template, {**context, "form": form})


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug, permission=MANAGE)
    return _import(request, consultation, None)


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def document_replace(request: HttpRequest, org_slug: str, slug: str, document_id: int) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug, permission=MANAGE)
    return _import(request, consultation, get_document(consultation, document_id))


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, org_slug: str, slug: str, document_id: int) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug, permission=MANAGE)
    document = get_document(consultation, document_id)
    if request.method == "POST":
        try:
            services.delete_document(actor=request.user, document=document)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(document_url(document, consultation))
        messages.success(request, _("The document is deleted."))
        return redirect(consultation.get_absolute_url())
    return render(
        request,
        "consultations/documents/document_confirm_delete.html",
        {"consultation": consultation, "document": document, "locked": services.has_contributions(document)},
    )


# --- reading ---------------------------------------------------------------------------------------------------------


def document_detail(request: HttpRequest, org_slug: str, slug: str, document_id: int) -> HttpResponse:
    """The document with numbered paragraphs and, by each, how many comments and wordings it has and a link to the
    paragraph's page. A fixed number of queries (test_documents_queries.py)."""
    consultation = get_consultation_for_user(request, org_slug, slug)
    document = get_document(consultation, document_id)
    taking_part = participation(request, consultation)
    sections = sections_for_document_page(document)
    _label_paragraphs(sections, paragraph_urls(document, consultation), can_comment=taking_part["can_comment"])
    return render(
        request,
        "consultations/documents/document_detail.html",
        {
            "consultation": consultation,
            "document": document,
            "sections": sections,
            "attachments": [item for item in attachments_of(consultation) if item.document_id == document.pk],
            "can_change": request.user.has_perm(MANAGE, consultation),
            "crumbs": _crumbs(consultation, (document.title, None)),
            **taking_part,
        },
    )


def _label_paragraphs(sections: list[Any], url_of: Any, *, can_comment: bool) -> None:
    """Each paragraph's link (`url`, `link_label`) and comment counts (`counts`), made here rather than by
    {% url %} and {% blocktranslate %} in the template's loop: for 300 paragraphs those took half the page's time."""
    link = (
        _('Comment<span class="visually-hidden"> on § %(number)s</span>')
        if can_comment
        else _('Comments<span class="visually-hidden"> on § %(number)s</span>')
    )
    counts: dict[tuple[int, int, int], str] = {}  # paragraphs share a few distinct counts
    for section in sections:
        for paragraph in section.paragraph_list:
            paragraph.url = url_of(paragraph.number)
            # Markup from our own catalogue around an integer, as {% blocktranslate %} renders it.
            paragraph.link_label = mark_safe(link % {"number": paragraph.number})  # noqa: S308
            key = (paragraph.comments, paragraph.wordings, paragraph.replies)
            if key not in counts:
                counts[key] = _comment_counts(*key)
            paragraph.counts = counts[key]


def _comment_counts(comments: int, wordings: int, replies: int) -> str:
    if not comments and not wordings:
        return ""
    parts = [ngettext("%(counter)s comment", "%(counter)s comments", comments) % {"counter": comments}]
    if wordings:
        parts.append(
            ngettext("%(counter)s proposed wording", "%(counter)s proposed wordings", wordings) % {"counter": wordings}
        )
    if replies:
        parts.append(ngettext("%(counter)s reply", "%(counter)s replies", replies) % {"counter": replies})
    return ", ".join(parts)


def _paragraph_page(
    request: HttpRequest, consultation: Any, document: Document, paragraph: Paragraph, form: Any = None
) -> HttpResponse:
    taking_part = participation(request, consultation)
    threads = threads_for_paragraph_page(paragraph)
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    participant = taking_part["participant"]
    mine = supported_ids(participant, items)
    can_moderate = request.user.has_perm("consultations.moderate_contribution", consultation)
    text = html_to_text(paragraph.text)
    diffs = _wording_diffs(text, items)
    if form is None and taking_part["can_comment"]:
        form = ContributionForm(initial={"proposed_text": text, "display_name": _display_name(participant)})
    reply_form = _reply_forms(request, consultation) if taking_part["can_comment"] else None
    neighbours = list(
        Paragraph.objects.filter(
            document=document, number__in=[paragraph.number - 1, paragraph.number + 1]
        ).values_list("number", flat=True)
    )
    return render(
        request,
        "consultations/documents/paragraph_detail.html",
        {
            "consultation": consultation,
            "document": document,
            "paragraph": paragraph,
            "paragraph_text": text,
            "page_obj": page,
            "threads": [
                {
                    "item": item,
                    "supported": item.pk in mine,
                    "own": participant is not None and item.participant_id == participant.pk,
                    "reply_form": reply_form(item.pk) if reply_form else None,
                    "segments": diffs.get(item.pk),
                }
                for item in items
            ],
            "form": form,
            "can_moderate": can_moderate,
            "previous_number": paragraph.number - 1 if paragraph.number - 1 in neighbours else None,
            "next_number": paragraph.number + 1 if paragraph.number + 1 in neighbours else None,
            "document_url": document_url(document, consultation),
            "crumbs": _crumbs(
                consultation, (document.title, document_url(document, consultation)), (f"§ {paragraph.number}", None)
            ),
            **taking_part,
        },
    )


def _reply_forms(request: HttpRequest, consultation: Any) -> Any:
    """The reply form under each thread, rendered once for a placeholder contribution number (in its action and its
    fields' ids) that is swapped for each thread's: twenty forms rendered one by one took half of a participant's
    page. Returns contribution id → the form's HTML."""
    action = reverse(
        "consultations:reply", kwargs={**consultation_kwargs(consultation), "contribution_id": PLACEHOLDER}
    )
    html = render_to_string(
        "consultations/documents/_reply_form.html",
        {
            "form": ReplyForm(auto_id=f"id_reply_{PLACEHOLDER}_%s"),
            "action": action,
            "code_of_conduct": code_of_conduct(consultation),
        },
        request=request,
    )
    fill = numbered(html)
    # The template's escaped output with a contribution id swapped in.
    return lambda contribution_id: mark_safe(fill(contribution_id))  # noqa: S308


def _wording_diffs(text: str, items: list[Contribution]) -> dict[int, Any]:
    """Word diffs of the page's proposed wordings against the paragraph, within one budget for the page (a wording
    beyond it is shown whole)."""
    budget = PAGE_DIFF_PAIRS
    diffs = {}
    for item in items:
        if item.kind != ContributionKind.WORDING or item.is_hidden or not item.proposed_text:
            continue
        segments = word_diff(text, item.proposed_text, max_pairs=min(budget, MAX_PAIRS))
        if segments is not None:
            budget -= len(text.split()) * len(item.proposed_text.split()) // 4
            diffs[item.pk] = segments
    return diffs


def _display_name(participant: Any) -> str:
    return participant.display_name if participant is not None else ""


def _refused(request: HttpRequest, consultation: Any, back: str, error: Exception) -> HttpResponse:
    """Where a write goes when the visitor may not (or no longer) take part: the reason as a message, back."""
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    elif consultation.participation_mode == ParticipationMode.SIGNED_IN or request.user.is_authenticated:
        messages.error(request, _("Sign in to take part."))
    else:
        messages.error(request, _("Confirm your email address or enter your code first."))
    return redirect(back)


@limit_writes
@require_http_methods(["GET", "POST"])
def paragraph_detail(request: HttpRequest, org_slug: str, slug: str, document_id: int, number: int) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug)
    document = get_document(consultation, document_id)
    paragraph = get_paragraph(document, number)
    if request.method == "GET":
        return _paragraph_page(request, consultation, document, paragraph)
    back = paragraph_url(paragraph, consultation)
    form = ContributionForm(request.POST)
    if not form.is_valid():
        return _paragraph_page(request, consultation, document, paragraph, form)
    data = form.cleaned_data
    try:
        posted = post_contribution(
            actor=request.user,
            participant=speaking_participant(request, consultation),
            consultation=consultation,
            paragraph=paragraph,
            text=data["text"],
            proposed_text=data.get("proposed_text") or "",
            display_name=data.get("display_name") or "",
            token=data.get("token") or "",
        )
    except PermissionDenied as error:
        return _refused(request, consultation, back, error)
    except ValidationError as error:
        if getattr(error, "code", "") == "closed":
            return _refused(request, consultation, back, error)
        apply_service_errors(form, error)
        return _paragraph_page(request, consultation, document, paragraph, form)
    _say_posted(request, posted)
    return redirect(contribution_url(posted.contribution))


def _say_posted(request: HttpRequest, posted: Any) -> None:
    if posted.created or posted.same_submission:
        if posted.contribution.kind == ContributionKind.WORDING:
            messages.success(request, _("Thank you: your proposed wording is published."))
        elif posted.contribution.kind == ContributionKind.REPLY:
            messages.success(request, _("Thank you: your reply is published."))
        else:
            messages.success(request, _("Thank you: your comment is published."))
    else:
        messages.info(request, _("You had already posted exactly this; it is shown below and was not added again."))


# --- replies, support, moderation ------------------------------------------------------------------------------------


@limit_writes
@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, org_slug: str, slug: str, contribution_id: int) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug)
    parent = get_contribution(consultation, contribution_id)
    if parent.paragraph_id is None:
        raise Http404
    back = contribution_url(parent)
    taking_part = participation(request, consultation)
    form = ReplyForm(request.POST or None, initial={"display_name": _display_name(taking_part["participant"])})
    if request.method == "POST" and form.is_valid():
        try:
            posted = post_contribution(
                actor=request.user,
                participant=speaking_participant(request, consultation),
                consultation=consultation,
                parent=parent,
                text=form.cleaned_data["text"],
                display_name=form.cleaned_data.get("display_name") or "",
                token=form.cleaned_data.get("token") or "",
            )
        except PermissionDenied as error:
            return _refused(request, consultation, back, error)
        except ValidationError as error:
            if getattr(error, "code", "") in ("closed", "bad_parent"):
                return _refused(request, consultation, back, error)
            apply_service_errors(form, error)
        else:
            _say_posted(request, posted)
            posted.contribution.consultation = consultation
            return redirect(contribution_url(posted.contribution))
    return render(
        request,
        "consultations/documents/reply_form.html",
        {
            "consultation": consultation,
            "parent": parent,
            "form": form,
            "back": back,
            "crumbs": _crumbs(consultation, (_("Reply"), None)),
            **taking_part,
        },
    )


@limit_writes
@require_POST
def support(request: HttpRequest, org_slug: str, slug: str, contribution_id: int) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug)
    contribution = get_contribution(consultation, contribution_id)
    back = contribution_url(contribution)
    try:
        now = set_support(
            actor=request.user,
            participant=speaking_participant(request, consultation),
            contribution=contribution,
            supported=request.POST.get("support") != "0",
        )
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, consultation, back, error)
    messages.success(request, _("You support this.") if now else _("You no longer support this."))
    return redirect(back)


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, org_slug: str, slug: str, contribution_id: int) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug)
    contribution = get_contribution(consultation, contribution_id)
    if not request.user.has_perm("consultations.moderate_contribution", contribution):
        raise PermissionDenied
    hidden = contribution.status == ContributionStatus.HIDDEN
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = restore_contribution if hidden else hide_contribution
        try:
            action(actor=request.user, contribution=contribution, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Shown again.") if hidden else _("Hidden; the reason is shown in its place."))
            return redirect(contribution_url(contribution))
    return render(
        request,
        "consultations/documents/moderate.html",
        {
            "consultation": consultation,
            "contribution": contribution,
            "hidden": hidden,
            "form": form,
            "back": contribution_url(contribution),
            "code_of_conduct": code_of_conduct(consultation),
            "crumbs": _crumbs(consultation, (_("Moderate"), None)),
        },
    )
