"""Counting rules for participatory budgeting, with no Django import (used by the app, `veche pb` and benchmarks).

election = Election.from_pabulib(pabulib.parse_file("x.pb"))   # or Election.build(...) from plain data
result = tally(election, RuleSpec("mes", completion="add1"))
result.funded, result.projects, result.metrics
"""

from veche.budgeting.rules_engine.election import Election, Profile
from veche.budgeting.rules_engine.metrics import Metrics
from veche.budgeting.rules_engine.reasons import Reason
from veche.budgeting.rules_engine.tally import (
    COMPARISONS,
    COMPLETIONS,
    RULES,
    CompletionError,
    ProjectOutcome,
    RuleSpec,
    TallyResult,
    compare,
    standard_specs,
    tally,
)
from veche.budgeting.rules_engine.tiebreak import TieBreak

__all__ = [
    "COMPARISONS",
    "COMPLETIONS",
    "RULES",
    "CompletionError",
    "Election",
    "Metrics",
    "ProjectOutcome",
    "Profile",
    "Reason",
    "RuleSpec",
    "TallyResult",
    "TieBreak",
    "compare",
    "standard_specs",
    "tally",
]
