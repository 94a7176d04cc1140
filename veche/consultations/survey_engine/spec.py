"""What the survey engine knows of a question: plain frozen data built from the database rows by the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from veche.consultations.survey_engine.geometry import Area


class Kind(StrEnum):
    """Question kinds. The values are the ones stored in Question.kind."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    RANKING = "ranking"
    MAP_POINT = "map_point"


CHOICE_KINDS = frozenset({Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING})
TEXT_KINDS = frozenset({Kind.SHORT_TEXT, Kind.LONG_TEXT})

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000
SCALE_LIMIT = 10  # scales run between 0 and this at most (a 0–10 scale has 11 steps)
MIN_OPTIONS = 2
MAX_OPTIONS = 30


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    kind: Kind
    required: bool = False
    option_ids: tuple[int, ...] = ()
    scale_min: int = 1
    scale_max: int = 5
    max_choices: int | None = None
    area: Area | None = field(default=None, compare=False)

    @property
    def max_length(self) -> int:
        return SHORT_TEXT_MAX if self.kind == Kind.SHORT_TEXT else LONG_TEXT_MAX
