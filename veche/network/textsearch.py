"""Pure text helpers of the directory search (no Django import): fold text for matching and turn what a person
typed into search terms. The same folding is applied to the stored documents and to the query, so "Łódź", "lodz" and
"ŁÓDŹ" find each other on PostgreSQL and on SQLite alike."""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter and a combining mark.
_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ß": "ss", "æ": "ae", "œ": "oe"})
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8
MAX_TERM_LENGTH = 40


def fold(text: str) -> str:
    """Lower case without diacritics: "Dvořáková, Łódź" → "dvorakova, lodz"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def terms(query: str) -> list[str]:
    """The words of a query, folded, without duplicates, at most MAX_TERMS of at most MAX_TERM_LENGTH characters.
    Underscores split words, as PostgreSQL's parser splits them."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(fold(query).replace("_", " ")):
        seen.setdefault(word[:MAX_TERM_LENGTH], None)
        if len(seen) == MAX_TERMS:
            break
    return list(seen)


def prefix_tsquery(words: list[str]) -> str:
    """A PostgreSQL tsquery in raw syntax in which every word must appear as a prefix: "nov & brn" → "nov:* & brn:*".
    Words are \\w+ only (see terms()), so nothing in them is tsquery syntax."""
    return " & ".join(f"{word}:*" for word in words)


def document(parts: list[str]) -> str:
    """One search document from the texts of the fields a viewer may see."""
    return fold(" ".join(part for part in parts if part)).replace("_", " ")
