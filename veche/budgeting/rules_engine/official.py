"""A city's published rule (Pabulib META `rule`) as a RuleSpec, and whether our count reproduces its result.

Mapping (each checked against the official `selected` column of the shared files, see docs/domain/pb-rules.md):

* ``greedy`` → greedy; ``greedy-no-skip`` → greedy-no-skip;
* ``greedy-threshold`` → greedy-threshold with META ``min_project_score_threshold``;
* ``equalshares`` → MES with cost utilities; ``equalshares/add1`` → MES + add-one completion stopping at the first
  exhaustive outcome (Świecie 2023);
* ``equalshares/add1-comparison`` → MES + add-one completion up to the last outcome within budget, then the comparison
  step by satisfaction (Wieliczka 2023; the comparison did not change its outcome).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from veche.budgeting.rules_engine.election import Election
from veche.budgeting.rules_engine.tally import RuleSpec, TallyResult, tally


def official_spec(meta: Mapping[str, str]) -> RuleSpec | None:
    """The RuleSpec for a file's META, or None when the rule is unknown or not implemented."""
    rule = meta.get("rule", "").strip().lower()
    if rule in ("greedy", "greedy-no-skip"):
        return RuleSpec(rule)
    if rule == "greedy-threshold":
        raw = meta.get("min_project_score_threshold", "").strip()
        try:
            return RuleSpec(rule, threshold=Fraction(raw.replace(",", ".")))
        except (ValueError, ZeroDivisionError):
            return None
    if rule == "equalshares":
        return RuleSpec("mes", utility="cost")
    if rule == "equalshares/add1":
        return RuleSpec("mes", utility="cost", completion="add1")
    if rule == "equalshares/add1-comparison":
        return RuleSpec("mes", utility="cost", completion="add1-last-feasible", comparison="satisfaction")
    return None


@dataclass(frozen=True)
class OfficialCheck:
    rule: str
    spec: RuleSpec | None
    result: TallyResult | None
    official: frozenset[str] | None
    missing: frozenset[str] = frozenset()  # funded officially, not by our count
    extra: frozenset[str] = frozenset()  # funded by our count, not officially

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON (the CLI's --json and the stored pool result)."""
        return {
            "rule": self.rule,
            "implemented": self.spec is not None,
            "rule_spec": self.spec.label() if self.spec else None,
            "reproduces": self.reproduces,
            "missing": sorted(self.missing),
            "extra": sorted(self.extra),
        }

    @property
    def comparable(self) -> bool:
        return self.result is not None and self.official is not None

    @property
    def reproduces(self) -> bool | None:
        """True/False when the file names a rule we implement and marks funded projects; None otherwise."""
        if not self.comparable:
            return None
        return not self.missing and not self.extra


def check_official(election: Election, meta: Mapping[str, str], official: frozenset[str] | None) -> OfficialCheck:
    rule = meta.get("rule", "").strip()
    spec = official_spec(meta)
    if spec is None:
        return OfficialCheck(rule, None, None, official)
    result = tally(election, spec)
    if official is None:
        return OfficialCheck(rule, spec, result, None)
    return OfficialCheck(
        rule, spec, result, official, missing=official - result.funded_set, extra=result.funded_set - official
    )
