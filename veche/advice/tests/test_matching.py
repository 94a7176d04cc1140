"""The expert ranking (veche.advice.matching): examples and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from veche.advice import matching
from veche.advice.matching import Candidate, Need, fold, rank, score

METHODS = ["consultation", "participatory_budgeting", "citizens_panel", "evaluation", "survey"]
LANGUAGES = ["cs", "pl", "en", "sk"]
COUNTRIES = ["CZ", "PL", "SK"]
REGIONS = ["Jihomoravský kraj", "jihomoravsky KRAJ", "Małopolskie", "Praha"]

needs = st.builds(
    Need,
    methods=st.frozensets(st.sampled_from(METHODS), max_size=2),
    language=st.sampled_from(["", *LANGUAGES]),
    country=st.sampled_from(["", *COUNTRIES]),
    region=st.sampled_from(["", *REGIONS]),
)


def candidates():
    return st.builds(
        Candidate,
        id=st.integers(min_value=1, max_value=10_000),
        methods=st.none() | st.frozensets(st.sampled_from(METHODS)),
        languages=st.none() | st.frozensets(st.sampled_from(LANGUAGES)),
        country=st.none() | st.sampled_from(COUNTRIES),
        region=st.none() | st.sampled_from(REGIONS),
        open_requests=st.integers(min_value=0, max_value=20),
    )


def unique_candidates(max_size: int = 30):
    return st.lists(candidates(), max_size=max_size, unique_by=lambda item: item.id)


def test_a_full_match_scores_every_part():
    need = Need(methods=frozenset({"consultation"}), language="cs", country="CZ", region="Jihomoravský kraj")
    candidate = Candidate(
        1, frozenset({"consultation", "survey"}), frozenset({"cs", "en"}), "CZ", "jihomoravsky kraj", 0
    )
    suggestion = score(need, candidate)
    assert suggestion.score == matching.METHOD + matching.LANGUAGE + matching.COUNTRY + matching.REGION
    assert suggestion.reasons == ("method", "language", "country", "region")
    assert suggestion.matched_methods == ("consultation",)


def test_hidden_fields_never_match():
    need = Need(methods=frozenset({"consultation"}), language="cs", country="CZ", region="Praha")
    hidden = Candidate(1, None, None, None, None, 0)
    assert score(need, hidden).score == 0
    assert score(need, hidden).reasons == ()


def test_the_same_region_in_another_country_is_not_a_match():
    need = Need(country="CZ", region="Praha")
    assert score(need, Candidate(1, country="PL", region="Praha")).reasons == ()


def test_workload_lowers_the_score_up_to_a_cap():
    need = Need(language="cs")
    idle = Candidate(1, languages=frozenset({"cs"}))
    busy = Candidate(2, languages=frozenset({"cs"}), open_requests=3)
    swamped = Candidate(3, languages=frozenset({"cs"}), open_requests=100)
    assert [item.candidate.id for item in rank(need, [swamped, busy, idle])] == [1, 2, 3]
    assert score(need, swamped).score == matching.LANGUAGE - matching.MAX_LOAD


def test_language_outweighs_the_region():
    need = Need(language="pl", country="CZ", region="Praha")
    speaks = Candidate(1, languages=frozenset({"pl"}))
    nearby = Candidate(2, languages=frozenset({"cs"}), country="CZ", region="Praha")
    assert rank(need, [nearby, speaks])[0].candidate.id == 1


def test_fold_ignores_case_accents_and_spaces():
    assert fold("  Středočeský   KRAJ ") == fold("stredocesky kraj") == "stredocesky kraj"
    assert fold(None) == ""


@given(needs, unique_candidates())
def test_ranking_is_sorted_and_a_permutation(need, people):
    ranked = rank(need, people)
    assert sorted(item.candidate.id for item in ranked) == sorted(item.id for item in people)
    keys = [(-item.score, item.candidate.id) for item in ranked]
    assert keys == sorted(keys)


@given(needs, unique_candidates(), st.randoms())
def test_ranking_does_not_depend_on_the_input_order(need, people, random):
    shuffled = list(people)
    random.shuffle(shuffled)
    assert [item.candidate.id for item in rank(need, people)] == [item.candidate.id for item in rank(need, shuffled)]


@given(needs, unique_candidates(), st.integers(min_value=-3, max_value=40))
def test_limit_keeps_the_best(need, people, limit):
    full = rank(need, people)
    assert rank(need, people, limit=limit) == full[: max(0, limit)]


@given(needs, candidates(), st.sampled_from(METHODS))
def test_knowing_one_more_method_never_lowers_the_score(need, candidate, method):
    better = Candidate(
        candidate.id,
        (candidate.methods or frozenset()) | {method},
        candidate.languages,
        candidate.country,
        candidate.region,
        candidate.open_requests,
    )
    assert score(need, better).score >= score(need, candidate).score


@given(needs, candidates())
def test_hiding_a_field_never_raises_the_score(need, candidate):
    hidden = Candidate(candidate.id, None, candidate.languages, None, None, candidate.open_requests)
    assert score(need, hidden).score <= score(need, candidate).score


@given(needs, candidates(), st.integers(min_value=0, max_value=5))
def test_more_work_never_raises_the_score(need, candidate, more):
    busier = Candidate(
        candidate.id,
        candidate.methods,
        candidate.languages,
        candidate.country,
        candidate.region,
        candidate.open_requests + more,
    )
    assert score(need, busier).score <= score(need, candidate).score


def test_the_module_imports_no_django():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(matching))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])
    }
    assert "django" not in imported and "veche" not in imported
