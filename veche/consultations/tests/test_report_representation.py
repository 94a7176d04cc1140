"""The pure comparison of participants with the population (veche/consultations/representation.py)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veche.consultations.representation import compare, normalise_group, suppress

counts = st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e"]), st.integers(0, 500), max_size=5)


def test_small_counts_are_suppressed():
    assert suppress(4) is None and suppress(5) == 5 and suppress(0) is None


def test_a_group_well_below_its_population_share_is_flagged():
    rows = {row.group: row for row in compare({"young": 10, "old": 90}, {"young": 30, "old": 70})}
    assert rows["young"].under_represented and not rows["old"].under_represented
    assert rows["young"].share == pytest.approx(0.1) and rows["young"].population_share == pytest.approx(0.3)


def test_groups_only_in_the_population_count_zero_and_are_flagged_without_a_count():
    rows = {row.group: row for row in compare({"a": 20}, {"a": 50, "b": 50})}
    assert rows["b"].count is None and rows["b"].share is None and rows["b"].under_represented


def test_nothing_is_compared_when_too_few_answered():
    assert not any(row.under_represented for row in compare({"a": 1, "b": 3}, {"a": 10, "b": 90}))


def test_without_population_nothing_is_flagged():
    rows = compare({"a": 10, "b": 1})
    assert [row.group for row in rows] == ["a", "b"]
    assert not any(row.under_represented for row in rows)
    assert rows[1].count is None


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        compare({"a": -1})


def test_district_names_match_loosely():
    assert normalise_group("  Staré  Město ") == normalise_group("staré město")


@given(sample=counts, population=counts)
def test_no_shown_count_is_below_the_threshold_and_flags_follow_the_rule(sample, population):
    rows = compare(sample, population)
    answered = sum(sample.values())
    residents = sum(population.values())
    assert {row.group for row in rows} == set(sample) | set(population)
    for row in rows:
        assert row.count is None or row.count >= 5
        if row.count is None:
            assert row.share is None
        if row.under_represented:
            real = sample.get(row.group, 0) / answered
            assert answered >= 5 and residents > 0
            assert real < 0.8 * population[row.group] / residents
    shares = [row.population_share for row in rows if row.population_share is not None]
    if residents:
        assert math.isclose(sum(shares), 1.0, abs_tol=1e-9)


@given(
    population=st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(1, 100), min_size=1),
    factor=st.integers(1, 20),
)
def test_a_sample_in_proportion_to_the_population_flags_nobody(population, factor):
    sample = {group: residents * factor for group, residents in population.items()}
    if sum(sample.values()) >= 5:
        assert not any(row.under_represented for row in compare(sample, population))
