"""The participants' evaluation of a consultation, asked once its report is out: three fixed questions on a 1–5
scale and an optional comment, one answer per participant. Signed-in participants answer as themselves; anonymous
ones through the signed link in their email (services/report.py, evaluation_token)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veche.consultations.models import EvaluationAnswer, Participant

EVALUATION_SALT = "consultations.evaluation"

QUESTIONS = (
    ("clear_information", gettext_lazy("Was the information about the consultation clear?")),
    ("enough_time", gettext_lazy("Did you have enough time to take part?")),
    ("views_used", gettext_lazy("Do you understand how your views were used?")),
)
# Averages are shown once this many participants answered (fewer could single a person out).
MIN_ANSWERS_SHOWN = 3


def evaluation_token(participant: Participant) -> str:
    return signing.dumps({"p": participant.pk, "c": participant.consultation_id}, salt=EVALUATION_SALT)


def participant_from_token(consultation: Any, token: str) -> Participant | None:
    """The participant a signed link was made for, if it is one of this consultation's; None otherwise."""
    try:
        data = signing.loads(token, salt=EVALUATION_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") != consultation.pk:
        return None
    return Participant.objects.filter(pk=data.get("p"), consultation=consultation).first()


def evaluation_is_open(consultation: Any) -> bool:
    return consultation.report_published_at is not None


def answer_evaluation(
    *, participant: Participant, consultation: Any, answers: dict[str, int], comment: str = ""
) -> EvaluationAnswer:
    """Record the participant's evaluation. ValidationError before the report is out, for a score outside 1–5,
    or when the participant already answered (the unique participant constraint decides, also under a race)."""
    if participant.consultation_id != consultation.pk:
        raise ValidationError(_("This link belongs to another consultation."))
    if not evaluation_is_open(consultation):
        raise ValidationError(_("The evaluation opens when the report is published."))
    values = {}
    for key, _label in QUESTIONS:
        value = answers.get(key)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise ValidationError({key: _("Choose a number from 1 to 5.")})
        values[key] = value
    try:
        with transaction.atomic():
            return EvaluationAnswer.objects.create(
                consultation=consultation, participant=participant, comment=(comment or "").strip()[:2000], **values
            )
    except IntegrityError as exc:
        raise ValidationError(_("You have already evaluated this consultation. Thank you!")) from exc


@dataclass(frozen=True)
class QuestionResult:
    key: str
    label: str
    average: float | None
    distribution: tuple[int, ...]  # answers per score 1..5


@dataclass(frozen=True)
class EvaluationResults:
    answers: int
    questions: tuple[QuestionResult, ...]
    comments: int

    @property
    def shown(self) -> bool:
        return self.answers >= MIN_ANSWERS_SHOWN


def evaluation_results(consultation: Any) -> EvaluationResults:
    """Averages and distributions per question (two queries)."""
    rows = EvaluationAnswer.objects.filter(consultation=consultation)
    aggregates = rows.aggregate(
        answers=Count("pk"),
        comments=Count("pk", filter=~_empty_comment()),
        **{f"{key}_avg": Avg(key) for key, _label in QUESTIONS},
        **{
            f"{key}_{score}": Count("pk", filter=_score(key, score))
            for key, _label in QUESTIONS
            for score in range(1, 6)
        },
    )
    questions = tuple(
        QuestionResult(
            key=key,
            label=str(label),
            average=round(aggregates[f"{key}_avg"], 1) if aggregates[f"{key}_avg"] is not None else None,
            distribution=tuple(aggregates[f"{key}_{score}"] for score in range(1, 6)),
        )
        for key, label in QUESTIONS
    )
    return EvaluationResults(answers=aggregates["answers"], questions=questions, comments=aggregates["comments"])


def _empty_comment() -> Any:
    from django.db.models import Q

    return Q(comment="")


def _score(key: str, score: int) -> Any:
    from django.db.models import Q

    return Q(**{key: score})
