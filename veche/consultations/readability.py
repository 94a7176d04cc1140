"""How plain a text is, for the plain-language summary of a consultation, in Czech, Polish and English.

Pure Python (no Django import), so that the CLI, tests and benchmarks use it directly. Two signals, both easy to act
on: **long sentences** (more words than a reader takes in at once) and **rare words** (words that are uncommon in
the language, looked up in `wordfreq`'s frequency lists). Sentences are split with the language's common
abbreviations in mind ("např.", "np.", "e.g." do not end a sentence, nor do ordinal numbers such as "1. května").

    report = assess("Město připravuje novou podobu parku u Labe.", "cs")
    report.level            # "plain", "fair", "hard" or "empty"
    report.long_sentences   # the sentences to shorten
    report.rare_words       # the words to explain or replace
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

LANGUAGES = ("cs", "pl", "en")

# More words than this in one sentence is long (plain-language guidance for these languages: 15–20 words on average,
# and no sentence much over 20–25).
LONG_SENTENCE_WORDS = {"cs": 20, "pl": 20, "en": 25}
# A word is rare when wordfreq's Zipf frequency is below this (3 ≈ once per million words: "municipality" in
# English scores about 3.4, "participace" in Czech about 2.3).
RARE_ZIPF = 3.0
# Words shorter than this are never flagged (short words are rarely hard, and often inflected particles).
MIN_RARE_LENGTH = 5
# Shares of long sentences and rare words above which a text reads as hard.
HARD_LONG_SHARE = 0.3
HARD_RARE_SHARE = 0.15
PLAIN_RARE_SHARE = 0.05

_COMMON_ABBREVIATIONS = {
    "dr.",
    "prof.",
    "ing.",
    "mgr.",
    "tel.",
    "str.",
    "s.",
    "p.",
    "max.",
    "min.",
    "cca.",
    "ca.",
    "vs.",
    "no.",
    "nr.",
    "art.",
}
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "cs": frozenset(
        _COMMON_ABBREVIATIONS
        | {
            "např.",
            "tj.",
            "tzn.",
            "tzv.",
            "atd.",
            "apod.",
            "aj.",
            "mj.",
            "resp.",
            "popř.",
            "příp.",
            "č.",
            "čp.",
            "odst.",
            "písm.",
            "ul.",
            "nám.",
            "tř.",
            "r.",
            "roč.",
            "zák.",
            "sb.",
            "bc.",
            "mudr.",
            "judr.",
            "phdr.",
            "rndr.",
            "doc.",
            "hod.",
            "obr.",
            "tab.",
            "kap.",
            "pozn.",
            "sv.",
            "pí.",
            "stol.",
            "ev.",
            "mil.",
            "tis.",
            "mld.",
            "vč.",
            "k.ú.",
            "p.č.",
        }
    ),
    "pl": frozenset(
        _COMMON_ABBREVIATIONS
        | {
            "np.",
            "tj.",
            "tzn.",
            "tzw.",
            "itd.",
            "itp.",
            "m.in.",
            "ul.",
            "al.",
            "pl.",
            "os.",
            "ok.",
            "godz.",
            "r.",
            "w.",
            "zob.",
            "por.",
            "wg.",
            "dot.",
            "ds.",
            "inż.",
            "hab.",
            "im.",
            "woj.",
            "pow.",
            "gm.",
            "pkt.",
            "ust.",
            "poz.",
            "tys.",
            "mln.",
            "mld.",
            "jw.",
            "ks.",
            "św.",
            "pn.",
            "płd.",
            "wsch.",
            "zach.",
            "ang.",
            "red.",
            "dz.u.",
        }
    ),
    "en": frozenset(
        _COMMON_ABBREVIATIONS
        | {
            "e.g.",
            "i.e.",
            "etc.",
            "cf.",
            "approx.",
            "nos.",
            "mr.",
            "mrs.",
            "ms.",
            "st.",
            "jr.",
            "sr.",
            "inc.",
            "ltd.",
            "co.",
            "pp.",
            "fig.",
            "para.",
            "sec.",
            "dept.",
            "est.",
            "ave.",
            "rd.",
            "jan.",
            "feb.",
            "mar.",
            "apr.",
            "jun.",
            "jul.",
            "aug.",
            "sep.",
            "sept.",
            "oct.",
            "nov.",
            "dec.",
        }
    ),
}

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# A sentence may end at . ! ? or … (possibly repeated), followed by closing quotes or brackets.
_TERMINATOR = re.compile(r"[.!?…]+[\"'»”’)\]]*")
_OPENERS = "\"'„“«‚‘([¿¡"
_BULLET = re.compile(r"^[ \t]*(?:[-–—•*·]|\d{1,3}[.)])[ \t]+", re.MULTILINE)
_DOTTED = re.compile(r"^(?:[^\W\d_]\.){2,}$")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text (stripped) and where it lies in the original text (text[start:end])."""

    text: str
    start: int
    end: int
    words: int


@dataclass(frozen=True)
class Readability:
    language: str
    sentences: tuple[Sentence, ...]
    words: int
    long_sentences: tuple[Sentence, ...]
    rare_words: tuple[str, ...]
    long_limit: int

    @property
    def average_sentence_length(self) -> float:
        return self.words / len(self.sentences) if self.sentences else 0.0

    @property
    def rare_share(self) -> float:
        return len(self.rare_words) / self.words if self.words else 0.0

    @property
    def level(self) -> str:
        """ "empty", "plain" (no long sentence, hardly any rare word), "hard" or "fair" in between."""
        if not self.sentences:
            return "empty"
        long_share = len(self.long_sentences) / len(self.sentences)
        if (
            self.average_sentence_length > self.long_limit
            or long_share > HARD_LONG_SHARE
            or self.rare_share > HARD_RARE_SHARE
        ):
            return "hard"
        if not self.long_sentences and self.rare_share <= PLAIN_RARE_SHARE:
            return "plain"
        return "fair"


def _language(language: str) -> str:
    code = (language or "").split("-")[0].lower()
    return code if code in LANGUAGES else "en"


def words_of(text: str) -> list[str]:
    """The words of text (letters, with inner hyphens and apostrophes); numbers are not words."""
    return _WORD.findall(text)


def _token_before(text: str, index: int) -> str:
    """The run of non-space characters ending at index (exclusive), without leading quotes or brackets."""
    start = index
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:index].lstrip(_OPENERS)


def _next_visible(text: str, index: int) -> str:
    """The first non-space character at or after index ('' at the end)."""
    while index < len(text) and text[index].isspace():
        index += 1
    return text[index] if index < len(text) else ""


def _ends_sentence(text: str, match: re.Match[str], abbreviations: frozenset[str]) -> bool:
    end = match.end()
    if end < len(text) and not text[end].isspace():
        return False  # "3.5", "www.example.org", "a.m." inside a token
    following = _next_visible(text, end)
    if not following:
        return True
    if following.islower():
        return False  # "1. května", an unknown abbreviation, or a typo: the sentence goes on
    if set(match.group()) & set("!?…"):
        return True
    token = _token_before(text, match.end()).rstrip("\"'»”’)]")
    lowered = token.lower()
    if lowered in abbreviations or _DOTTED.match(lowered):
        return False
    word = lowered[:-1]
    if len(word) == 1 and word.isalpha() and token[0].isupper():
        return False  # an initial: "J. Novák"
    return not (word.isdigit() and following.isdigit())  # "2. 3. 2026"


def _blocks(text: str) -> list[tuple[int, int]]:
    """Spans of text between blank lines and list bullets: a sentence never runs across them."""
    cuts = {0, len(text)}
    for blank in re.finditer(r"\n[ \t]*\n", text):
        cuts.add(blank.start())
        cuts.add(blank.end())
    for bullet in _BULLET.finditer(text):
        cuts.add(bullet.start())
    ordered = sorted(cuts)
    return [(a, b) for a, b in zip(ordered, ordered[1:], strict=False) if text[a:b].strip()]


def _sentence(text: str, start: int, end: int) -> Sentence | None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    lead = len(piece) - len(piece.lstrip())
    first = start + lead
    last = first + len(stripped)
    return Sentence(text=stripped, start=first, end=last, words=len(words_of(stripped)))


def split_sentences(text: str, language: str = "en") -> list[Sentence]:
    """The sentences of text, in order. Every non-space character of text belongs to exactly one sentence."""
    abbreviations = ABBREVIATIONS[_language(language)]
    sentences: list[Sentence] = []
    for block_start, block_end in _blocks(text):
        block = text[block_start:block_end]
        cursor = 0
        for match in _TERMINATOR.finditer(block):
            if _ends_sentence(block, match, abbreviations):
                found = _sentence(text, block_start + cursor, block_start + match.end())
                if found is not None:
                    sentences.append(found)
                cursor = match.end()
        found = _sentence(text, block_start + cursor, block_end)
        if found is not None:
            sentences.append(found)
    return sentences


@lru_cache(maxsize=1)
def _wordfreq() -> Callable[[str, str], float]:
    from wordfreq import zipf_frequency

    return zipf_frequency  # type: ignore[no-any-return]


def zipf(word: str, language: str) -> float:
    """wordfreq's Zipf frequency of word (0 for unknown words, about 7 for the commonest)."""
    return float(_wordfreq()(word, _language(language)))


def _candidates(sentence: Sentence) -> list[str]:
    """Words of the sentence that could be flagged: long enough, not a name inside the sentence, not an acronym."""
    found = []
    for position, match in enumerate(_WORD.finditer(sentence.text)):
        word = match.group()
        if len(word) < MIN_RARE_LENGTH or word.isupper():
            continue
        if position > 0 and word[0].isupper():
            continue  # a proper name ("Kolín", "Labe") is not a word to replace
        found.append(word)
    return found


def assess(
    text: str, language: str, *, frequency: Callable[[str, str], float] | None = None, long_limit: int | None = None
) -> Readability:
    """Long sentences and rare words of text in language ("cs", "pl" or "en"; anything else is read as English).

    frequency(word, language) → Zipf frequency replaces the wordfreq lookup (tests). A rare word is listed once, in
    the form it first appears, in the order of the text.
    """
    code = _language(language)
    lookup = frequency or zipf
    limit = long_limit or LONG_SENTENCE_WORDS[code]
    sentences = split_sentences(text or "", code)
    rare: dict[str, str] = {}
    for sentence in sentences:
        for word in _candidates(sentence):
            key = word.lower()
            if key not in rare and lookup(key, code) < RARE_ZIPF:
                rare[key] = word
    return Readability(
        language=code,
        sentences=tuple(sentences),
        words=sum(sentence.words for sentence in sentences),
        long_sentences=tuple(sentence for sentence in sentences if sentence.words > limit),
        rare_words=tuple(rare.values()),
        long_limit=limit,
    )
