"""The participants' evaluation after the report: signed in, or through the signed link of the email."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from veche.consultations.access import get_consultation_for_user
from veche.consultations.forms_report import EvaluationForm
from veche.consultations.models import EvaluationAnswer, Participant
from veche.consultations.services.evaluation import answer_evaluation, evaluation_is_open, participant_from_token
from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes


def _page(request: HttpRequest, consultation, participant: Participant | None, *, signed: bool) -> HttpResponse:
    already = participant is not None and EvaluationAnswer.objects.filter(participant=participant).exists()
    form = EvaluationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and participant is not None and not already:
        if form.is_valid():
            try:
                answer_evaluation(
                    participant=participant,
                    consultation=consultation,
                    answers=form.answers(),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Thank you for your evaluation."))
                return redirect(consultation.get_absolute_url())
        status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "consultations/report/evaluation.html",
        {
            "consultation": consultation,
            "organisation": consultation.organisation,
            "form": form,
            "participant": participant,
            "already": already,
            "is_open": evaluation_is_open(consultation),
            "signed": signed,
        },
        status=status,
    )


@limit_writes
@require_http_methods(["GET", "POST"])
def evaluation(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug)
    participant = None
    if request.user.is_authenticated:
        participant = Participant.objects.filter(consultation=consultation, user=request.user).first()
    return _page(request, consultation, participant, signed=False)


@limit_writes
@require_http_methods(["GET", "POST"])
def evaluation_signed(request: HttpRequest, org_slug: str, slug: str, token: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug)
    participant = participant_from_token(consultation, token)
    return _page(request, consultation, participant, signed=True)
