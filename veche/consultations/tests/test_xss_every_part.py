"""The XSS corpus of test_documents_xss.py in every other text field of a consultation — its description, methods,
standard, survey, offline input, themes, responses, report, checklist notes, evaluation comments, code batches and
participants' names — stored as they are (no form in the way, so only the rendering stands between them and the
reader), and none of it comes back as markup on any page that shows it, staff pages included."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from veche.consultations.choices import Channel, ContributionKind, MethodKind
from veche.consultations.models import (
    ConsultationMethod,
    Contribution,
    EvaluationAnswer,
    OneTimeCodeBatch,
    Option,
    PopulationFigure,
    Question,
    ResponseOutcome,
    StandardAssessment,
    StandardItem,
    StandardSet,
    Survey,
    SurveyAnswer,
    SurveyResponse,
)
from veche.consultations.models.surveys import QuestionKind
from veche.consultations.services import report, responses
from veche.consultations.tests.factories import consultation_in, document_for, participant, schedule
from veche.consultations.tests.test_documents_xss import CORPUS, PAYLOADS
from veche.consultations.tests.test_documents_xss import _audit as _audit_markup

pytestmark = pytest.mark.django_db


DATA_BLOCK = re.compile(r'<script(?: id="[^"]*")? type="application/json"[^>]*>(.*?)</script>', re.S)


def _audit(html: str) -> list[str]:
    """The markup audit, after taking out json_script's data blocks (not run by the browser) — which must hold no
    raw "<", or a payload could close the block and start a real script."""
    problems = [f"raw < in data: {block[:60]}" for block in DATA_BLOCK.findall(html) if "<" in block]
    return problems + _audit_markup(DATA_BLOCK.sub("", html))


def _payload(index: int) -> str:
    return PAYLOADS[index % len(PAYLOADS)]


@pytest.fixture
def poisoned(personas, django_capture_on_commit_callbacks):
    organisation = personas.organisation
    standard = StandardSet.objects.create(organisation=organisation, name=_payload(0), min_open_days=21)
    item = StandardItem.objects.create(standard_set=standard, key="k", title=_payload(1), description=_payload(2))
    consultation = consultation_in(
        organisation,
        subject=_payload(3),
        summary=CORPUS,
        decision=_payload(4),
        decision_maker=_payload(5),
        contact_name=_payload(6),
        contact_phone=_payload(7)[:30],
    )
    consultation.standard_set = standard
    consultation.save(update_fields=["standard_set"])
    ConsultationMethod.objects.create(
        consultation=consultation, kind=MethodKind.values[0], description=CORPUS, place=_payload(8)[:200]
    )
    document_for(consultation, sections=1, paragraphs=2)
    paragraph = consultation.documents.get().paragraphs.order_by("number").first()
    survey = Survey.objects.create(consultation=consultation, title=_payload(9), intro=CORPUS, is_published=True)
    text_question = Question.objects.create(
        survey=survey, kind=QuestionKind.LONG_TEXT, text=_payload(10), help_text=_payload(11), weight=0
    )
    scale = Question.objects.create(
        survey=survey,
        kind=QuestionKind.SCALE,
        text=_payload(0),
        weight=1,
        scale_min=1,
        scale_max=5,
        scale_min_label=_payload(1)[:100],
        scale_max_label=_payload(2)[:100],
    )
    choice = Question.objects.create(survey=survey, kind=QuestionKind.SINGLE, text=_payload(3), weight=2)
    option = Option.objects.create(question=choice, text=_payload(4), weight=0)
    people = [participant(consultation, user=personas.resident, display_name=_payload(5)[:80])]
    comment = Contribution.objects.create(
        consultation=consultation,
        kind=ContributionKind.COMMENT,
        participant=people[0],
        paragraph=paragraph,
        text=CORPUS,
    )
    answer_contribution = Contribution.objects.create(
        consultation=consultation, kind=ContributionKind.SURVEY_ANSWER, participant=people[0], text=CORPUS
    )
    response = SurveyResponse.objects.create(survey=survey, participant=people[0])
    SurveyAnswer.objects.create(
        response=response, question=text_question, text=CORPUS, contribution=answer_contribution
    )
    SurveyAnswer.objects.create(response=response, question=scale, number=3)
    SurveyAnswer.objects.create(response=response, question=choice, choices=[option.pk])
    offline = Contribution.objects.create(
        consultation=consultation,
        kind=ContributionKind.OFFLINE,
        channel=Channel.PAPER,
        author_label=_payload(6)[:200],
        text=CORPUS,
        received_on=consultation.opens_at.date(),
        recorded_by=personas.coordinator,
    )
    OneTimeCodeBatch.objects.create(
        consultation=consultation, label=_payload(7)[:100], size=1, created_by=personas.coordinator
    )
    PopulationFigure.objects.create(
        organisation=organisation, dimension="district", group=_payload(8)[:100], residents=9
    )
    schedule(consultation, "analysis")
    responses.respond(
        actor=personas.coordinator, contribution=comment, outcome=ResponseOutcome.ACCEPTED, justification=CORPUS
    )
    theme = responses.create_theme(
        actor=personas.coordinator, consultation=consultation, title=_payload(9), description=CORPUS
    )
    responses.assign_to_theme(
        actor=personas.coordinator, theme=theme, contributions=[answer_contribution, offline], consultation=consultation
    )
    responses.respond_to_theme(
        actor=personas.coordinator, theme=theme, outcome=ResponseOutcome.PARTLY, justification=CORPUS
    )
    StandardAssessment.objects.create(consultation=consultation, item=item, rating="met", note=CORPUS)
    report.save_outcome(actor=personas.coordinator, consultation=consultation, outcome=CORPUS)
    with django_capture_on_commit_callbacks(execute=True):
        report.request_build(actor=personas.coordinator, consultation=consultation, publish=True)
    consultation.refresh_from_db()
    assert consultation.report_published_at is not None
    EvaluationAnswer.objects.create(
        consultation=consultation,
        participant=people[0],
        clear_information=4,
        enough_time=3,
        views_used=5,
        comment=CORPUS,
    )
    return consultation, theme, comment, standard


def test_no_payload_comes_back_as_markup_on_any_page(client, personas, poisoned):
    consultation, theme, comment, standard = poisoned
    org, slug = consultation.organisation.slug, consultation.slug
    public = [
        consultation.get_absolute_url(),
        reverse("consultations:list"),
        reverse("consultations:organisation", args=[org]),
        reverse("consultations:map"),
        reverse("consultations:report", args=[org, slug]),
        reverse("consultations:survey_results", args=[org, slug]),
    ]
    staff = [
        reverse("consultations:edit", args=[org, slug]),
        reverse("consultations:methods", args=[org, slug]),
        reverse("consultations:timeline", args=[org, slug]),
        reverse("consultations:responses", args=[org, slug]),
        reverse("consultations:respond", args=[org, slug, comment.pk]),
        reverse("consultations:themes", args=[org, slug]),
        reverse("consultations:theme", args=[org, slug, theme.pk]),
        reverse("consultations:report_manage", args=[org, slug]),
        reverse("consultations:checklist", args=[org, slug]),
        reverse("consultations:offline_list", args=[org, slug]),
        reverse("consultations:codes", args=[org, slug]),
        reverse("consultations:survey_builder", args=[org, slug]),
        reverse("consultations:standards", args=[org]),
        reverse("consultations:standard", args=[org, standard.pk]),
        reverse("consultations:population", args=[org]),
    ]
    checked = 0
    for user, pages in ((None, public), (personas.resident, [reverse("consultations:evaluation", args=[org, slug])])):
        if user is not None:
            client.force_login(user)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            html = response.content.decode()
            assert _audit(html) == [], (page, _audit(html))
            checked += "xss-" in html
    client.force_login(personas.coordinator)
    for page in public + staff:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert _audit(html) == [], (page, _audit(html))
        checked += "xss-" in html
    assert checked >= 18  # the payloads are on the pages, escaped — not missing
