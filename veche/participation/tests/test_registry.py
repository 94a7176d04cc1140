from __future__ import annotations

import pytest

from veche.participation import registry
from veche.participation.registry import (
    DuplicateModuleTypeError,
    ModuleType,
    PhaseType,
    UnknownModuleTypeError,
    get_module_type,
    module_types,
    register_module_type,
    registered_for_test,
)
from veche.participation.tests.factories import FAKE_TYPE


def make_type(key: str = "other", **kwargs) -> ModuleType:
    kwargs.setdefault("phases", (PhaseType("only", "Only", frozenset({"read"})),))
    return ModuleType(key=key, name="Other", **kwargs)


def test_core_registers_no_module_type_of_its_own():
    assert FAKE_TYPE.key not in {item.key for item in module_types()}


def test_registered_for_test_registers_and_removes():
    with registered_for_test(FAKE_TYPE):
        assert get_module_type(FAKE_TYPE.key) is FAKE_TYPE
        assert FAKE_TYPE in module_types()
    with pytest.raises(UnknownModuleTypeError):
        get_module_type(FAKE_TYPE.key)


def test_registered_for_test_cleans_up_when_the_test_fails():
    with pytest.raises(RuntimeError), registered_for_test(FAKE_TYPE):
        raise RuntimeError
    assert registry.find_module_type(FAKE_TYPE.key) is None


def test_duplicate_key_raises_but_the_same_object_is_a_no_op():
    with registered_for_test(FAKE_TYPE):
        assert register_module_type(FAKE_TYPE) is FAKE_TYPE
        with pytest.raises(DuplicateModuleTypeError):
            register_module_type(make_type(FAKE_TYPE.key))
        assert get_module_type(FAKE_TYPE.key) is FAKE_TYPE


def test_module_types_keep_registration_order():
    first, second = make_type("zeta"), make_type("alpha")
    with registered_for_test(first, second):
        keys = [item.key for item in module_types()]
        assert keys.index("zeta") < keys.index("alpha")


def test_features_default_to_the_union_of_the_phases():
    assert FAKE_TYPE.features == {"read", "comment", "see_results"}
    assert FAKE_TYPE.features_by_phase["commenting"] == {"read", "comment"}
    assert FAKE_TYPE.phase_type("results").name == "Results"
    assert FAKE_TYPE.phase_type("nope") is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"key": "Bad Key"},
        {"phases": ()},
        {"phases": (PhaseType("a", "A"), PhaseType("a", "A again"))},
        {"features": frozenset({"read"}), "phases": (PhaseType("a", "A", frozenset({"vote"})),)},
    ],
)
def test_malformed_module_types_are_refused(kwargs):
    with pytest.raises(ValueError):
        make_type(**kwargs)


def test_phase_key_is_checked():
    with pytest.raises(ValueError):
        PhaseType("Vote!", "Vote")


def test_module_type_is_immutable():
    with pytest.raises(AttributeError):
        FAKE_TYPE.key = "changed"  # type: ignore[misc]
