"""Which experts to suggest for an advice request: a score per candidate from what the request needs (method,
language, place) and what the candidate made visible to the network's coordinators. Pure Python, no Django.

Scoring (higher is better), each part explained to the coordinator by a reason key:
- method: +METHOD for each of the request's methods the candidate knows (a request names at most a few);
- language: +LANGUAGE when the candidate works in the preferred language — a strong signal, since advice in a
  language the requester does not read is no advice;
- place: +COUNTRY for the same country, +REGION more for the same region (compared case- and accent-blind);
- workload: -LOAD for each request the candidate is already working on, at most -MAX_LOAD in all, so that the
  same person is not always first.
A field the candidate hid from coordinators is None here and never matches. Ties go to the smaller id, so the order
is reproducible whatever the order of the input.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

METHOD = 3.0
LANGUAGE = 4.0
COUNTRY = 1.0
REGION = 2.0
LOAD = 0.5
MAX_LOAD = 2.0


@dataclass(frozen=True)
class Need:
    methods: frozenset[str] = frozenset()
    language: str = ""
    country: str = ""
    region: str = ""


@dataclass(frozen=True)
class Candidate:
    id: int
    methods: frozenset[str] | None = None
    languages: frozenset[str] | None = None
    country: str | None = None
    region: str | None = None
    open_requests: int = 0


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    score: float
    reasons: tuple[str, ...] = field(default=())
    matched_methods: tuple[str, ...] = field(default=())


def fold(text: str | None) -> str:
    """Case- and accent-blind form of a place name: "Středočeský kraj" and "stredocesky KRAJ" are the same."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).casefold().split())


def score(need: Need, candidate: Candidate) -> Suggestion:
    total = 0.0
    reasons: list[str] = []
    matched = tuple(sorted(need.methods & candidate.methods)) if candidate.methods is not None else ()
    if matched:
        total += METHOD * len(matched)
        reasons.append("method")
    if need.language and candidate.languages is not None and need.language in candidate.languages:
        total += LANGUAGE
        reasons.append("language")
    if need.country and candidate.country and need.country == candidate.country:
        total += COUNTRY
        reasons.append("country")
        if need.region and candidate.region and fold(need.region) == fold(candidate.region):
            total += REGION
            reasons.append("region")
    load = min(MAX_LOAD, LOAD * max(0, candidate.open_requests))
    if load:
        total -= load
        reasons.append("workload")
    return Suggestion(candidate=candidate, score=total, reasons=tuple(reasons), matched_methods=matched)


def rank(need: Need, candidates: Iterable[Candidate], *, limit: int | None = None) -> list[Suggestion]:
    """Every candidate scored, best first (ties: smaller id first); the first `limit` when given."""
    suggestions = sorted((score(need, candidate) for candidate in candidates), key=lambda s: (-s.score, s.candidate.id))
    return suggestions if limit is None else suggestions[: max(0, limit)]
