"""How the results page says things: reason codes and rules in plain, translated language.

The pure engine (rules_engine) gives stable codes (reasons.py) and RuleSpec fields; this module turns the stored
PoolResult JSON into sentences for residents. No queries.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from veche.budgeting.rules_engine.reasons import Reason

REASONS: dict[str, Promise] = {
    Reason.FUNDED: _("Funded: it had enough support and fit the budget."),
    Reason.FUNDED_FREE: _("Funded: it costs nothing and has supporters."),
    Reason.FUNDED_BY_FILL: _(
        "Funded with the money left over, which went to the best-supported projects that still fit."
    ),
    Reason.DID_NOT_FIT: _("Not funded: when its turn came, the money left was less than its cost."),
    Reason.NOT_REACHED: _("Not funded: counting stopped at the first project that did not fit the money left."),
    Reason.BELOW_THRESHOLD: _("Not funded: it did not reach the minimum support the rules require."),
    Reason.UNAFFORDABLE: _(
        "Not funded: its supporters' equal shares of the budget were not enough to pay for it, after paying for "
        "projects with more support per unit of cost."
    ),
    Reason.NO_SUPPORT: _("Not funded: nobody voted for it."),
    Reason.NO_UTILITY: _("Not funded: its voters gave it no points."),
    Reason.PHRAGMEN_STOPPED: _("Not funded: counting stopped when the next project would have exceeded the budget."),
    Reason.OVER_BUDGET: _("Not funded: it costs more than the whole budget."),
}

RULE_NAMES: dict[str, Promise] = {
    "greedy": _("Most votes first"),
    "greedy-no-skip": _("Most votes first, stopping at the first project that does not fit"),
    "greedy-threshold": _("Most votes first, with a minimum support"),
    "mes": _("Method of Equal Shares"),
    "phragmen": _("Sequential Phragmén"),
}

RULE_TEXTS: dict[str, Promise] = {
    "greedy": _(
        "Projects are taken in order of their votes, the most supported first. Each one is funded if it fits the "
        "money that is left; one that does not fit is skipped and counting goes on with the next."
    ),
    "greedy-no-skip": _(
        "Projects are taken in order of their votes, the most supported first, and funded while they fit the "
        "money that is left. Counting stops at the first project that does not fit."
    ),
    "greedy-threshold": _(
        "Only projects with at least %(threshold)s votes (or points) take part. They are taken in order of their "
        "votes, the most supported first, and each one is funded if it fits the money that is left."
    ),
    "mes": _(
        "The budget is split into equal shares, one for each voter. A project is funded when its supporters can "
        "pay for it together from their shares; at each step the project that costs its supporters the least per "
        "unit of benefit is funded first. So every group of voters gets projects in proportion to its size, "
        "not only the largest group."
    ),
    "phragmen": _(
        "Voters earn money at the same rate; a project is funded as soon as its supporters together have earned "
        "its cost, and they spend what they earned on it. Counting stops when the next project would exceed the "
        "budget."
    ),
}

COMPLETION_TEXTS: dict[str, Promise] = {
    "add1": _(
        "Equal shares often leave money unspent. The share of each voter was then raised one unit at a time and "
        "the count repeated, up to the first outcome that uses the budget as fully as possible."
    ),
    "add1-last-feasible": _(
        "Equal shares often leave money unspent. The share of each voter was then raised one unit at a time and "
        "the count repeated, as long as the outcome stayed within the budget; the last such outcome counts."
    ),
}
FILL_TEXT = _("Money still left was then given to the best-supported projects that fit, in order of their votes.")
COMPARISON_TEXT = _(
    "Finally the outcome was compared with plain 'most votes first'; the one more voters prefer was kept."
)

TIE_BREAK_TEXTS: dict[str, Promise] = {
    "id": _("Ties are broken in favour of the smaller project number (compared as text)."),
    "cost-votes": _("Ties are broken in favour of the cheaper project, then the one with more votes."),
    "votes-cost": _("Ties are broken in favour of the project with more votes, then the cheaper one."),
}

UTILITY_TEXTS: dict[str, Promise] = {
    "cost": _("Satisfaction is the money spent on projects the voter supported."),
    "approval": _("Satisfaction is the number of projects the voter supported that are funded."),
    "points": _("Satisfaction is the points the voter gave to funded projects."),
}


def reason_text(code: str) -> str:
    try:
        return str(REASONS[Reason(code)])
    except ValueError:
        return code


def rule_name(spec: dict[str, Any]) -> str:
    """A short human name for a stored spec, e.g. 'Method of Equal Shares (raised shares, then filled)'."""
    name = str(RULE_NAMES.get(spec.get("rule", ""), spec.get("label", "")))
    details = []
    if spec.get("utility") == "approval":
        details.append(str(_("counting projects, not money")))
    if spec.get("completion") == "add1":
        details.append(str(_("shares raised until the budget is used")))
    elif spec.get("completion") == "add1-last-feasible":
        details.append(str(_("shares raised while within budget")))
    if spec.get("fill_greedy"):
        details.append(str(_("rest filled by votes")))
    if spec.get("comparison") not in (None, "none"):
        details.append(str(_("compared with most votes first")))
    if spec.get("rule") == "greedy-threshold" and spec.get("threshold"):
        details.append(str(_("at least %(threshold)s")) % {"threshold": spec["threshold"]})
    return f"{name} ({', '.join(details)})" if details else name


def rule_explanation(spec: dict[str, Any]) -> list[str]:
    """Paragraphs explaining the rule, its completion, tie-breaking, in plain language."""
    rule = spec.get("rule", "")
    paragraphs = []
    text = RULE_TEXTS.get(rule)
    if text is not None:
        paragraphs.append(str(text) % {"threshold": spec.get("threshold") or "0"} if "%(" in str(text) else str(text))
    if rule == "mes":
        if spec.get("utility") == "approval":
            paragraphs.append(str(_("Each funded project counts the same for its supporters, whatever it costs.")))
        completion = COMPLETION_TEXTS.get(spec.get("completion", ""))
        if completion is not None:
            paragraphs.append(str(completion))
        if spec.get("fill_greedy"):
            paragraphs.append(str(FILL_TEXT))
        if spec.get("comparison") not in (None, "none"):
            paragraphs.append(str(COMPARISON_TEXT))
    tie = TIE_BREAK_TEXTS.get(spec.get("tie_break", "id"))
    if tie is not None:
        paragraphs.append(str(tie))
    return paragraphs
