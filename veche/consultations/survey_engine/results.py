"""Aggregate results per question, from the stored answers of many residents (numpy where the data grows).

Each function takes the question's options (ids in display order) or scale and the answers of the question as the
database holds them (see SurveyAnswer), and returns plain data: lists and dicts of ints, floats and strings, ready for
a template, JSON or a report. Percentages are of the residents who answered the question, rounded to one decimal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def _percent(part: np.ndarray, whole: int) -> list[float]:
    if whole == 0:
        return [0.0] * len(part)
    return [round(float(value), 1) for value in part * 100.0 / whole]


def _option_index(option_ids: Sequence[int]) -> dict[int, int]:
    return {option: index for index, option in enumerate(option_ids)}


def choice_counts(option_ids: Sequence[int], answers: Sequence[Sequence[int]]) -> dict[str, Any]:
    """Single or multiple choice: how many residents chose each option. answers: the chosen ids of each resident
    (one id for a single choice). Unknown ids (an option deleted since) are ignored."""
    index = _option_index(option_ids)
    flat = np.fromiter((index[option] for chosen in answers for option in chosen if option in index), dtype=np.int64)
    counts = np.bincount(flat, minlength=len(option_ids)) if len(option_ids) else np.zeros(0, dtype=np.int64)
    answered = sum(1 for chosen in answers if chosen)
    return {
        "answered": answered,
        "options": [
            {"id": option, "count": int(count), "percent": percent}
            for option, count, percent in zip(option_ids, counts, _percent(counts, answered), strict=True)
        ],
    }


def scale_summary(scale_min: int, scale_max: int, values: Sequence[int]) -> dict[str, Any]:
    """Scale: count per step, mean and median (None when nobody answered). Values outside the scale are ignored."""
    data = np.asarray([value for value in values if scale_min <= value <= scale_max], dtype=np.int64)
    steps = np.arange(scale_min, scale_max + 1)
    counts = np.bincount(data - scale_min, minlength=len(steps)) if data.size else np.zeros(len(steps), np.int64)
    answered = int(data.size)
    return {
        "answered": answered,
        "mean": round(float(data.mean()), 2) if answered else None,
        "median": float(np.median(data)) if answered else None,
        "steps": [
            {"value": int(step), "count": int(count), "percent": percent}
            for step, count, percent in zip(steps, counts, _percent(counts, answered), strict=True)
        ],
    }


def ranking_summary(option_ids: Sequence[int], orders: Sequence[Sequence[int]]) -> dict[str, Any]:
    """Ranking: each resident's order from first to last. Per option: average rank (1 = first), Borda points (an
    option ranked r-th of n gets n − r points; summed) and how often it came first. Options sorted best first (lowest
    average rank, then most first places, then display order). Orders that are not a permutation of the options (the
    options changed since) are ignored."""
    count = len(option_ids)
    index = _option_index(option_ids)
    wanted = set(option_ids)
    rows = [order for order in orders if len(order) == count and set(order) == wanted]
    ranks = np.zeros((len(rows), count), dtype=np.int64)
    for row, order in enumerate(rows):
        ranks[row, [index[option] for option in order]] = np.arange(1, count + 1)
    answered = len(rows)
    average = ranks.mean(axis=0) if answered else np.zeros(count)
    borda = (count - ranks).sum(axis=0) if answered else np.zeros(count, dtype=np.int64)
    firsts = (ranks == 1).sum(axis=0) if answered else np.zeros(count, dtype=np.int64)
    options = [
        {
            "id": option,
            "average_rank": round(float(average[position]), 2) if answered else None,
            "borda": int(borda[position]),
            "first": int(firsts[position]),
            "first_percent": _percent(firsts, answered)[position],
        }
        for position, option in enumerate(option_ids)
    ]
    order = sorted(
        range(count),
        key=lambda position: (float(average[position]) if answered else 0.0, -int(firsts[position]), position),
    )
    return {"answered": answered, "options": [options[position] for position in order]}


def points_summary(points: Sequence[tuple[float, float]]) -> dict[str, Any]:
    """Map points: every point (lat, lon), their centre and bounding box (south, west, north, east)."""
    data = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if not data.size:
        return {"answered": 0, "points": [], "centre": None, "bbox": None}
    south, west = data.min(axis=0)
    north, east = data.max(axis=0)
    centre = data.mean(axis=0)
    return {
        "answered": int(data.shape[0]),
        "points": [[round(float(lat), 6), round(float(lon), 6)] for lat, lon in data],
        "centre": [round(float(centre[0]), 6), round(float(centre[1]), 6)],
        "bbox": [round(float(value), 6) for value in (south, west, north, east)],
    }


SMALL_COUNT = 5


def suppressed_counts(counts: Sequence[tuple[str, int]], *, threshold: int = SMALL_COUNT) -> list[dict[str, Any]]:
    """Counts per category that protect small groups: a count from 1 to threshold − 1 is hidden (reason "small":
    shown as "fewer than threshold"). When exactly one count of a dimension is hidden, the next smallest shown one is
    hidden too (reason "complement"), so the small count cannot be worked out from the total. Zero stays shown: it
    says nothing about anyone. Hidden rows have count None."""
    rows: list[dict[str, Any]] = [
        {"key": key, "count": int(count), "suppressed": 0 < count < threshold, "reason": ""} for key, count in counts
    ]
    for row in rows:
        if row["suppressed"]:
            row["reason"] = "small"
    if sum(1 for row in rows if row["suppressed"]) == 1:
        shown = [row for row in rows if not row["suppressed"] and row["count"] > 0]
        if shown:
            complement = min(shown, key=lambda row: row["count"])
            complement["suppressed"], complement["reason"] = True, "complement"
    for row in rows:
        if row["suppressed"]:
            row["count"] = None
    return rows
