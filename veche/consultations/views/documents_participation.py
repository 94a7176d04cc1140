"""Taking part without an account (verify an email address, or enter a one-time code) and, for coordinators, the
one-time code batches with a printable list of new codes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from veche.consultations.access import get_consultation_for_user
from veche.consultations.choices import ParticipationMode
from veche.consultations.forms_documents import CodeBatchForm, CodeForm, EmailForm
from veche.consultations.services import documents_participation as services
from veche.consultations.services.participants import remember_participant
from veche.consultations.views.documents import participation
from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes


def _next(request: HttpRequest, consultation) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return consultation.get_absolute_url()


@limit_writes
@require_http_methods(["GET", "POST"])
def take_part(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    """How to take part in this consultation: sign in, confirm an email address, or enter a code."""
    consultation = get_consultation_for_user(request, org_slug, slug)
    next_url = _next(request, consultation)
    mode = consultation.participation_mode
    form = None
    sent_to = ""
    if mode == ParticipationMode.VERIFIED_EMAIL and not request.user.is_authenticated:
        form = EmailForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.request_email_link(
                    consultation=consultation, email=form.cleaned_data["email"], next_url=next_url
                )
            except PermissionDenied:
                messages.error(request, _("This consultation does not take part by email."))
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                sent_to = form.cleaned_data["email"]
                form = EmailForm()
    elif mode == ParticipationMode.ONE_TIME_CODE and not request.user.is_authenticated:
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                participant = services.redeem_code(consultation=consultation, code=form.cleaned_data["code"])
            except PermissionDenied:
                messages.error(request, _("This consultation does not take one-time codes."))
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                remember_participant(request, participant)
                messages.success(request, _("Your code is accepted. You can take part now."))
                return redirect(next_url)
    return render(
        request,
        "consultations/documents/take_part.html",
        {
            "consultation": consultation,
            "form": form,
            "sent_to": sent_to,
            "next_url": next_url,
            "crumbs": [(consultation.subject, consultation.get_absolute_url()), (_("Take part"), None)],
            **participation(request, consultation),
        },
    )


@never_cache
def verify_email_link(request: HttpRequest, org_slug: str, slug: str, token: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug)
    try:
        participant = services.verify_email(consultation=consultation, token=token)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("consultations:take_part", kwargs={"org_slug": org_slug, "slug": slug}))
    if not request.user.is_authenticated:
        remember_participant(request, participant)
    messages.success(request, _("Your email address is confirmed. You can take part now."))
    return redirect(services.next_url_from(request.GET.get("next", "")) or consultation.get_absolute_url())


@never_cache
@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def codes(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    """Batches of one-time codes; generating a batch shows its codes once, ready to print."""
    consultation = get_consultation_for_user(request, org_slug, slug, permission="consultations.change_consultation")
    form = CodeBatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch, new_codes = services.generate_codes(
                actor=request.user,
                consultation=consultation,
                count=form.cleaned_data["count"],
                label=form.cleaned_data.get("label") or "",
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return render(
                request,
                "consultations/documents/codes_print.html",
                {"consultation": consultation, "batch": batch, "codes": new_codes},
            )
    return render(
        request,
        "consultations/documents/codes.html",
        {
            "consultation": consultation,
            "form": form,
            "batches": services.code_batches(consultation),
            "crumbs": [(consultation.subject, consultation.get_absolute_url()), (_("One-time codes"), None)],
        },
    )
