"""The survey: residents answer it; coordinators build it; staff (and the public, as the survey says) read its
results. Views fetch and authorise, call a service and render."""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from veche.consultations.access import get_consultation_for_user
from veche.consultations.choices import ParticipationMode
from veche.consultations.forms_surveys import (
    AddQuestionForm,
    QuestionForm,
    SurveyAnswerForm,
    SurveySettingsForm,
    option_formset,
)
from veche.consultations.models import Consultation, Question, Survey
from veche.consultations.models.surveys import QuestionKind
from veche.consultations.module import SURVEY
from veche.consultations.services import surveys as services
from veche.consultations.services.participants import current_participant, participant_for_user
from veche.consultations.survey_engine.geometry import area_from_geojson
from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes


def url_if_exists(name: str, **kwargs: Any) -> str | None:
    """The address of a page another part of the app provides, or None while it does not exist."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _addresses(consultation: Consultation) -> dict[str, str]:
    kwargs = {"org_slug": consultation.organisation.slug, "slug": consultation.slug}
    return {
        "answer_url": reverse("consultations:survey", kwargs=kwargs),
        "results_url": reverse("consultations:survey_results", kwargs=kwargs),
        "builder_url": reverse("consultations:survey_builder", kwargs=kwargs),
    }


def get_survey_for_user(request: HttpRequest, org_slug: str, slug: str) -> tuple[Consultation, Survey]:
    """The consultation and its survey; 404 when there is none or it is not published (and the visitor cannot
    build it)."""
    consultation = get_consultation_for_user(request, org_slug, slug)
    survey = services.survey_for(consultation)
    if survey is None:
        raise Http404
    survey.consultation = consultation
    if not survey.is_published and not request.user.has_perm("consultations.change_survey", consultation):
        raise Http404
    return consultation, survey


def map_bounds(consultation: Consultation) -> str:
    """ "south,west,north,east" of the consultation's area for the map picker, or ""."""
    area = area_from_geojson(consultation.area)
    if area is None:
        return ""
    return ",".join(f"{value:.6f}" for value in area.bbox)


# --- answering -------------------------------------------------------------------------------------------------------
def _identity_prompt(request: HttpRequest, consultation: Consultation) -> dict[str, Any] | None:
    """What to show a visitor the consultation cannot tell apart from others yet, or None when they may answer."""
    if request.user.is_authenticated:
        return None
    if current_participant(request, consultation) is not None:
        return None
    mode = consultation.participation_mode
    kwargs = {"org_slug": consultation.organisation.slug, "slug": consultation.slug}
    return {
        "mode": mode,
        "signed_in_only": mode == ParticipationMode.SIGNED_IN,
        "login_url": f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.path})}",
        "email_url": url_if_exists("consultations:participate_email", **kwargs)
        if mode == ParticipationMode.VERIFIED_EMAIL
        else None,
        "code_url": url_if_exists("consultations:participate_code", **kwargs)
        if mode == ParticipationMode.ONE_TIME_CODE
        else None,
    }


@limit_writes
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation, survey = get_survey_for_user(request, org_slug, slug)
    participant = current_participant(request, consultation)
    response = services.response_of(survey, participant)
    can_answer = request.user.has_perm("consultations.answer_survey", consultation)
    prompt = _identity_prompt(request, consultation)
    is_open = survey.is_published and can_answer and consultation.module.allows(SURVEY)
    preview = not survey.is_published  # only those who build it get here
    questions = services.questions_of(survey)
    form = None
    if response is None and prompt is None and (is_open or preview):
        if request.method == "POST" and not is_open:
            raise PermissionDenied
        form = SurveyAnswerForm(
            request.POST if request.method == "POST" else None,
            survey=survey,
            questions=questions,
            ask_demographics=services.demographics_wanted(survey, participant),
        )
        if request.method == "POST" and form.is_valid():
            if participant is None:
                participant = participant_for_user(user=request.user, consultation=consultation)
            try:
                _response, created = services.submit_response(
                    participant=participant,
                    survey=survey,
                    values=form.answers,
                    demographics=form.demographics(),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if created:
                    messages.success(request, _("Thank you: your answers are saved."))
                else:
                    messages.info(request, _("You had already answered this survey; your first answers are kept."))
                return redirect(request.path)
    elif request.method == "POST" and response is not None:
        messages.info(request, _("You had already answered this survey; your first answers are kept."))
        return redirect(request.path)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "consultation": consultation,
        "organisation": consultation.organisation,
        "survey": survey,
        "questions": questions,
        "form": form,
        "items": form.items() if form is not None else [],
        "response": response,
        "is_open": is_open,
        "prompt": prompt if response is None and is_open else None,
        "preview": preview,
        "can_view_results": request.user.has_perm("consultations.view_survey_results", survey),
        "has_map": any(question.kind == QuestionKind.MAP_POINT for question in questions),
        "map_bounds": map_bounds(consultation),
        **_addresses(consultation),
    }
    return render(request, "consultations/surveys/answer.html", context)


# --- results ---------------------------------------------------------------------------------------------------------
def survey_results(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation, survey = get_survey_for_user(request, org_slug, slug)
    if not request.user.has_perm("consultations.view_survey_results", survey):
        raise PermissionDenied
    results = services.survey_results(consultation)
    is_staff = request.user.has_perm("consultations.export_survey_answers", consultation)
    points = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": {}}
            for question in results["questions"]
            if question["kind"] == QuestionKind.MAP_POINT
            for lat, lon in question["points"]
        ],
    }
    if is_staff:
        texts = services.text_answers_for_staff(survey)
        for question in results["questions"]:
            question["texts"] = texts.get(question["id"], [])
    context = {
        "consultation": consultation,
        "organisation": consultation.organisation,
        "survey": survey,
        "results": results,
        "demographics": services.demographics_summary(consultation) if survey.ask_demographics else None,
        "can_export": is_staff,
        "map_points": points,
        "map_bounds": map_bounds(consultation),
        "has_map": bool(points["features"]),
        **_addresses(consultation),
    }
    return render(request, "consultations/surveys/results.html", context)


def survey_results_csv(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation, survey = get_survey_for_user(request, org_slug, slug)
    if not request.user.has_perm("consultations.export_survey_answers", consultation):
        raise PermissionDenied
    header, rows = services.choice_answers_table(survey)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{consultation.slug}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


# --- building --------------------------------------------------------------------------------------------------------
def _builder_consultation(request: HttpRequest, org_slug: str, slug: str) -> Consultation:
    return get_consultation_for_user(request, org_slug, slug, permission="consultations.change_survey")


def _question_for_change(request: HttpRequest, org_slug: str, slug: str, question_id: int) -> Question:
    consultation = _builder_consultation(request, org_slug, slug)
    question = get_object_or_404(
        Question.objects.select_related("survey").prefetch_related("options"),
        pk=question_id,
        survey__consultation=consultation,
    )
    question.survey.consultation = consultation
    return question


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def survey_builder(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = _builder_consultation(request, org_slug, slug)
    survey = services.survey_for(consultation)
    if request.method == "POST" and survey is None:
        services.get_or_create_survey(actor=request.user, consultation=consultation)
        messages.success(request, _("The survey is created. Add its questions, then publish it."))
        return redirect(request.path)
    form = None
    if survey is not None:
        survey.consultation = consultation
        form = SurveySettingsForm(
            request.POST if request.method == "POST" else None, initial=SurveySettingsForm.initial_for(survey)
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.update_survey(actor=request.user, survey=survey, **form.service_kwargs())
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The survey's settings are saved."))
                return redirect(request.path)
    questions = services.questions_of(survey) if survey is not None else []
    context = {
        "consultation": consultation,
        "organisation": consultation.organisation,
        "survey": survey,
        "form": form,
        "questions": questions,
        "add_form": AddQuestionForm(),
        "locked": survey is not None and services.has_answers(survey),
        **_addresses(consultation),
    }
    return render(request, "consultations/surveys/builder.html", context)


def _options_input(formset: Any, question: Question | None) -> list[services.OptionInput]:
    return formset.rows(list(question.options.all()) if question is not None else [])


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = _builder_consultation(request, org_slug, slug)
    survey = services.survey_for(consultation)
    if survey is None:
        return redirect("consultations:survey_builder", org_slug=org_slug, slug=slug)
    survey.consultation = consultation
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    if kind not in QuestionKind.values:
        chooser = AddQuestionForm(request.GET if "kind" in request.GET else None)
        chooser.is_valid()
        context = {
            "consultation": consultation,
            "organisation": consultation.organisation,
            "survey": survey,
            "add_form": chooser,
            **_addresses(consultation),
        }
        return render(request, "consultations/surveys/question_kind.html", context)
    data = request.POST if request.method == "POST" and "text" in request.POST else None
    form = QuestionForm(data, kind=kind)
    has_options = kind in services.CHOICE_KINDS
    formset = option_formset(data, extra=4) if has_options else None
    if data is not None and form.is_valid() and (formset is None or formset.is_valid()):
        try:
            services.add_question(
                actor=request.user,
                survey=survey,
                kind=kind,
                data=form.to_input(_options_input(formset, None) if formset is not None else ()),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The question is added."))
            return redirect("consultations:survey_builder", org_slug=org_slug, slug=slug)
    return _question_page(request, consultation, survey, form, formset, kind=kind, question=None)


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, org_slug: str, slug: str, question_id: int) -> HttpResponse:
    question = _question_for_change(request, org_slug, slug, question_id)
    survey = question.survey
    data = request.POST if request.method == "POST" else None
    form = QuestionForm(data, kind=question.kind, initial=QuestionForm.initial_for(question))
    formset = option_formset(data, question=question, extra=2) if question.has_options else None
    if data is not None and form.is_valid() and (formset is None or formset.is_valid()):
        try:
            services.update_question(
                actor=request.user,
                question=question,
                data=form.to_input(_options_input(formset, question) if formset is not None else ()),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("consultations:survey_builder", org_slug=org_slug, slug=slug)
    return _question_page(request, survey.consultation, survey, form, formset, kind=question.kind, question=question)


def _question_page(
    request: HttpRequest,
    consultation: Consultation,
    survey: Survey,
    form: QuestionForm,
    formset: Any,
    *,
    kind: str,
    question: Question | None,
) -> HttpResponse:
    context = {
        "consultation": consultation,
        "organisation": consultation.organisation,
        "survey": survey,
        "form": form,
        "formset": formset,
        "kind": kind,
        "kind_label": QuestionKind(kind).label,
        "question": question,
        "locked": services.has_answers(survey),
        **_addresses(consultation),
    }
    return render(request, "consultations/surveys/question_form.html", context)


@login_required
@limit_writes
@require_POST
def question_move(request: HttpRequest, org_slug: str, slug: str, question_id: int) -> HttpResponse:
    question = _question_for_change(request, org_slug, slug, question_id)
    services.move_question(actor=request.user, question=question, up=request.POST.get("direction") == "up")
    return redirect(f"{reverse('consultations:survey_builder', kwargs={'org_slug': org_slug, 'slug': slug})}#questions")


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, org_slug: str, slug: str, question_id: int) -> HttpResponse:
    question = _question_for_change(request, org_slug, slug, question_id)
    builder = reverse("consultations:survey_builder", kwargs={"org_slug": org_slug, "slug": slug})
    if request.method == "POST":
        try:
            services.delete_question(actor=request.user, question=question)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The question is deleted."))
        return redirect(builder)
    context = {
        "consultation": question.survey.consultation,
        "organisation": question.survey.consultation.organisation,
        "survey": question.survey,
        "question": question,
        "locked": services.has_answers(question.survey),
        "builder_url": builder,
    }
    return render(request, "consultations/surveys/question_delete.html", context)
