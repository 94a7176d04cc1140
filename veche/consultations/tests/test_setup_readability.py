"""The readability indicator: sentence splitting that knows abbreviations, long sentences and rare words."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from veche.consultations.readability import (
    ABBREVIATIONS,
    LONG_SENTENCE_WORDS,
    assess,
    split_sentences,
    words_of,
)


def common(word: str, language: str) -> float:
    return 6.0


def texts(sentences: list[str]) -> list[str]:
    return [sentence.text for sentence in sentences]


def test_czech_abbreviations_and_ordinals_do_not_end_sentences():
    text = "Park bude mít např. lavičky a ul. Husova se zklidní. Setkání je 1. května v 17 hod. na radnici. Přijďte!"
    assert texts(split_sentences(text, "cs")) == [
        "Park bude mít např. lavičky a ul. Husova se zklidní.",
        "Setkání je 1. května v 17 hod. na radnici.",
        "Přijďte!",
    ]


def test_polish_abbreviations_and_initials():
    text = "Konsultacje prowadzi m.in. Wydział Urbanistyki przy ul. Świętojańskiej. Pytania: J. Kowalski, tel. 58 123."
    assert texts(split_sentences(text, "pl")) == [
        "Konsultacje prowadzi m.in. Wydział Urbanistyki przy ul. Świętojańskiej.",
        "Pytania: J. Kowalski, tel. 58 123.",
    ]


def test_english_abbreviations_questions_and_quotes():
    text = 'We ask e.g. Mr. Smith. "Is it safe?" she asked. Yes… We think so.'
    assert texts(split_sentences(text, "en")) == [
        "We ask e.g. Mr. Smith.",
        '"Is it safe?" she asked.',
        "Yes…",
        "We think so.",
    ]


def test_blank_lines_and_bullets_end_sentences():
    text = "What we plan\n\n- a playground\n- new trees\nTell us"
    assert texts(split_sentences(text, "en")) == ["What we plan", "- a playground", "- new trees\nTell us"]


def test_decimal_numbers_and_addresses_stay_inside_a_sentence():
    assert len(split_sentences("It costs 3.5 million. See www.example.org for more.", "en")) == 2


def test_long_sentences_are_flagged_by_the_languages_limit():
    long = " ".join(["Slovo"] + ["slovo"] * LONG_SENTENCE_WORDS["cs"]) + "."
    report = assess(f"Krátká věta. Další věta. Třetí věta. Čtvrtá věta. {long}", "cs", frequency=common)
    assert [sentence.words for sentence in report.long_sentences] == [LONG_SENTENCE_WORDS["cs"] + 1]
    assert report.level == "fair"


def test_rare_words_skip_names_acronyms_and_short_words():
    rare = {"revitalizace", "stakeholderů"}

    def frequency(word: str, language: str) -> float:
        return 1.0 if word in rare or word in {"kolín", "labe", "zš"} else 5.0

    report = assess(
        "Revitalizace parku v Kolíně u Labe a ZŠ potěší stakeholderů. Revitalizace znovu.", "cs", frequency=frequency
    )
    assert report.rare_words == ("Revitalizace", "stakeholderů")


def test_levels(settings=None):
    assert assess("", "en").level == "empty"
    assert assess("We plan a park. Tell us what you want.", "en", frequency=common).level == "plain"
    hard = " ".join(["word"] * 40) + "."
    assert assess(hard, "en", frequency=common).level == "hard"


def test_real_word_frequencies_in_three_languages():
    assert "multidisciplinární" in assess("Vyžaduje multidisciplinární přístup.", "cs").rare_words
    assert assess("Miasto buduje nowy park.", "pl").rare_words == ()
    assert "stakeholders" not in assess("We asked the people who live here.", "en").rare_words


def test_unknown_language_reads_as_english():
    assert assess("A park. A bench.", "de", frequency=common).language == "en"


alphabet = st.sampled_from(list(string.ascii_letters + "áčěłśżő .,!?…\n-\"'()0123456789"))
abbreviation = st.sampled_from(sorted(ABBREVIATIONS["cs"] | ABBREVIATIONS["pl"] | ABBREVIATIONS["en"]))
fragments = st.lists(st.one_of(st.text(alphabet, max_size=20), abbreviation), max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text=fragments, language=st.sampled_from(["cs", "pl", "en"]))
def test_splitting_keeps_every_character_in_order(text, language):
    sentences = split_sentences(text, language)
    cursor = 0
    for sentence in sentences:
        assert sentence.text == text[sentence.start : sentence.end]
        assert sentence.text == sentence.text.strip() and sentence.text
        assert text[cursor : sentence.start].strip() == ""  # nothing but spaces between sentences
        cursor = sentence.end
    assert text[cursor:].strip() == ""
    assert sum(sentence.words for sentence in sentences) == len(words_of(text)) or "\n" in text or "-" in text


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.sampled_from(["park", "lavička", "strom", "cesta"]), min_size=1, max_size=60), abbr=abbreviation
)
def test_an_abbreviation_inside_a_sentence_never_splits_it(words, abbr):
    half = len(words) // 2
    text = " ".join(["Město", *words[:half], abbr, *words[half:]]) + "."
    assert (
        len(
            split_sentences(
                text, "cs" if abbr in ABBREVIATIONS["cs"] else "pl" if abbr in ABBREVIATIONS["pl"] else "en"
            )
        )
        == 1
    )


@settings(max_examples=200, deadline=None)
@given(counts=st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=10))
def test_long_sentences_are_exactly_those_over_the_limit(counts):
    text = " ".join("Slovo " + " ".join(["slovo"] * (count - 1)) + "." for count in counts)
    report = assess(text, "cs", frequency=common)
    assert [sentence.words for sentence in report.sentences] == counts
    assert [s.words for s in report.long_sentences] == [c for c in counts if c > LONG_SENTENCE_WORDS["cs"]]
    assert report.words == sum(counts)
