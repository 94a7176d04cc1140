"""Word-level difference between a paragraph and a proposed wording. Pure (difflib only): the page renders the
segments with <ins>/<del> and a spoken label, the API returns them as they are.

    word_diff("The park opens at 8.", "The park opens at 7 every day.")
    → [("same", "The park opens at"), ("removed", "8."), ("added", "7 every day.")]
"""

from __future__ import annotations

import difflib
from typing import Literal

Kind = Literal["same", "removed", "added"]
Segment = tuple[Kind, str]

# SequenceMatcher is quadratic in the differing middle; beyond this many word pairs the diff is given up (the page
# then shows both texts whole). A paragraph of 600 words rewritten entirely is 360,000 pairs.
MAX_PAIRS = 400_000


def word_diff(before: str, after: str, *, max_pairs: int = MAX_PAIRS) -> list[Segment] | None:
    """Segments that turn `before` into `after`, word by word (white space between words is normalised to one space).

    Joining the "same" and "removed" segments gives `before`, the "same" and "added" ones `after` (as word lists).
    Adjacent segments never share a kind. None when the changed middle is too long to compare.
    """
    old, new = before.split(), after.split()
    shortest = min(len(old), len(new))
    start = 0
    while start < shortest and old[start] == new[start]:
        start += 1
    end = 0
    while end < shortest - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    old_middle, new_middle = old[start : len(old) - end], new[start : len(new) - end]
    if len(old_middle) * len(new_middle) > max_pairs:
        return None
    segments: list[Segment] = []

    def add(kind: Kind, words: list[str]) -> None:
        if not words:
            return
        if segments and segments[-1][0] == kind:
            segments[-1] = (kind, segments[-1][1] + " " + " ".join(words))
        else:
            segments.append((kind, " ".join(words)))

    add("same", old[:start])
    matcher = difflib.SequenceMatcher(a=old_middle, b=new_middle, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            add("same", old_middle[a1:a2])
        else:
            add("removed", old_middle[a1:a2])
            add("added", new_middle[b1:b2])
    add("same", old[len(old) - end :])
    return segments


def side(segments: list[Segment], which: Literal["before", "after"]) -> str:
    """The text on one side of a diff (for checks: side(word_diff(a, b), "after") == " ".join(b.split()))."""
    skip = "added" if which == "before" else "removed"
    return " ".join(text for kind, text in segments if kind != skip)


def changed_words(segments: list[Segment]) -> int:
    """How many words the wording removes or adds."""
    return sum(len(text.split()) for kind, text in segments if kind != "same")
