"""Why a project was or was not funded: stable codes the results page translates, with an English default text."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    FUNDED = "funded"
    FUNDED_FREE = "funded-free"
    FUNDED_BY_FILL = "funded-by-fill"
    DID_NOT_FIT = "did-not-fit"
    NOT_REACHED = "not-reached"
    BELOW_THRESHOLD = "below-threshold"
    UNAFFORDABLE = "unaffordable"
    NO_SUPPORT = "no-support"
    NO_UTILITY = "no-utility"
    PHRAGMEN_STOPPED = "phragmen-stopped"
    OVER_BUDGET = "over-budget"

    @property
    def text(self) -> str:
        return _TEXT[self]

    @property
    def funded(self) -> bool:
        return self in (Reason.FUNDED, Reason.FUNDED_FREE, Reason.FUNDED_BY_FILL)


_TEXT = {
    Reason.FUNDED: "funded",
    Reason.FUNDED_FREE: "funded: it costs nothing and has supporters",
    Reason.FUNDED_BY_FILL: "funded when the money left over was given to the best-scored projects that fit",
    Reason.DID_NOT_FIT: "did not fit the remaining budget",
    Reason.NOT_REACHED: "not reached: counting stopped at the first project that did not fit",
    Reason.BELOW_THRESHOLD: "below the minimum score threshold",
    Reason.UNAFFORDABLE: "not affordable by its supporters' remaining shares of the budget",
    Reason.NO_SUPPORT: "nobody voted for it",
    Reason.NO_UTILITY: "its voters gain nothing from it under this utility (it costs nothing, or got 0 points)",
    Reason.PHRAGMEN_STOPPED: "not reached: counting stopped when the next project would have exceeded the budget",
    Reason.OVER_BUDGET: "costs more than the whole budget",
}
