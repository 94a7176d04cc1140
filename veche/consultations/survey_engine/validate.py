"""Check one resident's answers against the survey's questions.

The form layer turns what the browser sent into plain values (below) and asks `validate_answers`; each bad answer is
reported with a code (and parameters) that the form turns into a translated message. Values per kind:

- single: an option id or None · multiple: a collection of option ids · scale: an int or None
- short_text / long_text: a string · ranking: a mapping option id → rank (1 = first) or None for "not ranked",
  or the order itself (a sequence of option ids, first to last)
- map_point: a (latitude, longitude) pair or None

Normalised answers: single → int, multiple → tuple of ids in the question's option order, scale → int,
text → stripped string, ranking → tuple of option ids from first to last, map_point → (lat, lon) rounded to 6 places.
An unanswered question normalises to None, and a normalised answer passes again unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from veche.consultations.survey_engine.geometry import valid_position
from veche.consultations.survey_engine.spec import Kind, QuestionSpec


@dataclass
class AnswerError(ValueError):
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.code


CODES = (
    "required",
    "unknown_option",
    "duplicate_choice",
    "too_many_choices",
    "not_a_whole_number",
    "out_of_range",
    "too_long",
    "ranking_incomplete",
    "ranking_duplicate",
    "bad_point",
    "outside_area",
)


def _single(question: QuestionSpec, value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in question.option_ids:
        raise AnswerError("unknown_option")
    return value


def _multiple(question: QuestionSpec, value: Any) -> tuple[int, ...] | None:
    chosen = list(value or ())
    if not chosen:
        return None
    if any(isinstance(item, bool) or not isinstance(item, int) or item not in question.option_ids for item in chosen):
        raise AnswerError("unknown_option")
    if len(set(chosen)) != len(chosen):
        raise AnswerError("duplicate_choice")
    if question.max_choices is not None and len(chosen) > question.max_choices:
        raise AnswerError("too_many_choices", {"limit": question.max_choices})
    wanted = set(chosen)
    return tuple(option for option in question.option_ids if option in wanted)


def _scale(question: QuestionSpec, value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value != int(value):
        raise AnswerError("not_a_whole_number")
    number = int(value)
    if not question.scale_min <= number <= question.scale_max:
        raise AnswerError("out_of_range", {"low": question.scale_min, "high": question.scale_max})
    return number


def _text(question: QuestionSpec, value: Any) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    if len(text) > question.max_length:
        raise AnswerError("too_long", {"limit": question.max_length, "length": len(text)})
    return text


def _ranking(question: QuestionSpec, value: Any) -> tuple[int, ...] | None:
    """Every option gets a distinct rank from 1 to the number of options (a permutation), or none gets one."""
    if isinstance(value, list | tuple):  # an order, first to last (a normalised answer)
        value = (
            {option: rank for rank, option in enumerate(value, start=1)}
            if len(set(value)) == len(value)
            else dict.fromkeys(value, 1)
        )
    if value is not None and not isinstance(value, Mapping):
        raise AnswerError("unknown_option")
    ranks: Mapping[Any, Any] = value or {}
    if set(ranks) - set(question.option_ids):
        raise AnswerError("unknown_option")
    given = {option: rank for option, rank in ranks.items() if rank not in (None, "")}
    if not given:
        return None
    count = len(question.option_ids)
    values = list(given.values())
    if any(isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= count for rank in values):
        raise AnswerError("ranking_incomplete", {"count": count})
    if len(set(values)) != len(values):
        raise AnswerError("ranking_duplicate")
    if len(given) != count:
        raise AnswerError("ranking_incomplete", {"count": count})
    return tuple(sorted(given, key=given.__getitem__))


def _map_point(question: QuestionSpec, value: Any) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        lat, lon = (float(part) for part in value)
    except (TypeError, ValueError):
        raise AnswerError("bad_point") from None
    if not valid_position(lat, lon):
        raise AnswerError("bad_point")
    if question.area is not None and not question.area.contains(lat, lon):
        raise AnswerError("outside_area")
    return round(lat, 6), round(lon, 6)


_BY_KIND = {
    Kind.SINGLE: _single,
    Kind.MULTIPLE: _multiple,
    Kind.SCALE: _scale,
    Kind.SHORT_TEXT: _text,
    Kind.LONG_TEXT: _text,
    Kind.RANKING: _ranking,
    Kind.MAP_POINT: _map_point,
}


def validate_answer(question: QuestionSpec, value: Any) -> Any:
    """The normalised answer, or None when unanswered; raises AnswerError (required included)."""
    normalised = _BY_KIND[question.kind](question, value)
    if normalised is None and question.required:
        raise AnswerError("required")
    return normalised


def validate_answers(
    questions: Iterable[QuestionSpec], values: Mapping[int, Any]
) -> tuple[dict[int, Any], dict[int, AnswerError]]:
    """Check every question's value (missing means unanswered). Returns (answers, errors), both keyed by question
    id; answers hold only the questions that were answered."""
    answers: dict[int, Any] = {}
    errors: dict[int, AnswerError] = {}
    for question in questions:
        try:
            normalised = validate_answer(question, values.get(question.id))
        except AnswerError as error:
            errors[question.id] = error
            continue
        if normalised is not None:
            answers[question.id] = normalised
    return answers, errors


def is_complete(questions: Collection[QuestionSpec], answers: Mapping[int, Any]) -> bool:
    """All required questions answered."""
    return all(question.id in answers for question in questions if question.required)
