"""The Method of Equal Shares (MES), exact and vectorised.

Each voter gets an equal share of the budget. Round by round, MES funds the project whose supporters can pay for it
at the lowest price per unit of utility ρ, each supporter paying ρ × their utility or, if that is more than they have
left, everything they have left; a project its supporters can no longer afford drops out. Counting ends when no
project is affordable. This is pabutools' `method_of_equal_shares` step for step.

Exactness. Budgets, prices and comparisons are decided exactly: a voter who has always been able to pay in full has
exactly `b0 - Σ ρ_j u_j` over the funded projects they support, and a voter who once could not is at exactly 0, so
every exact quantity is a short sum of the (rational) prices. The hot loop runs in float64 with numpy; whenever a
float comparison is within 1e-9 (relative) of flipping, it is decided again with fractions. The price of every funded
project is always computed exactly, so floating-point error never accumulates into the result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from veche.budgeting.rules_engine.election import Profile, _ranges

TOL = 1e-9
_POOR_RICH_PASSES = 8


@dataclass
class MesRun:
    """One run of MES at a fixed share per voter (in integer money units)."""

    share: Fraction
    funded: list[int] = field(default_factory=list)  # in order of funding; zero-cost projects first
    prices: dict[int, Fraction] = field(default_factory=dict)  # ρ of each project funded by payment
    eliminated: dict[int, tuple[int, float]] = field(default_factory=dict)  # project → (round, share of cost behind it)
    free: list[int] = field(default_factory=list)
    unsupported: list[int] = field(default_factory=list)
    # per round (one per funded-by-payment project, in order): a lower bound on the price of every project still in
    # play at that round (inf for those funded or found unaffordable), for `same_outcome_between`
    bounds: list[np.ndarray] = field(default_factory=list, repr=False)
    # per round: the exact prices of the projects that tied (within float tolerance) for the lowest price, winner
    # included — lets `same_outcome_between` settle exact ties by the tie-breaking order instead of giving up
    near: list[dict[int, Fraction]] = field(default_factory=list, repr=False)

    def cost(self, costs: Sequence[int]) -> int:
        return sum(int(costs[j]) for j in self.funded)


class MesSolver:
    """Precomputes the per-project arrays once, then runs MES at any share per voter."""

    def __init__(self, profile: Profile, tie_rank: np.ndarray) -> None:
        self.profile = profile
        self.tie_rank = tie_rank
        election = profile.election
        self.costs = [int(c) for c in election.int_costs]
        self.costs_f = np.array(self.costs, dtype=np.float64)
        weights = profile.weights
        self.weights_f = weights.astype(np.float64)
        self.g_util = profile.g_util
        self.group_of_entry = profile.group_of_entry
        self.columns: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]] = []
        total = profile.total_utility
        self.playable: list[int] = []
        self.free: list[int] = []
        self.unsupported: list[int] = []
        for j in range(election.n_projects):
            groups, util = profile.supporters_of(j)
            wu = util * weights[groups]
            self.columns.append(
                (
                    groups.astype(np.int64),
                    util,
                    util.astype(np.float64),
                    self.weights_f[groups],
                    wu.astype(np.float64),
                    int(wu.sum()),
                )
            )
            if total[j] <= 0:
                self.unsupported.append(j)
            elif self.costs[j] == 0:
                self.free.append(j)
            else:
                self.playable.append(j)
        # weighted utility sums stay below 2**53, so float64 sums of them are exact integers
        self.float_sums_exact = max((col[5] for col in self.columns), default=0) < 2**53
        self.initial_price = np.full(election.n_projects, np.inf)
        for j in self.playable:
            self.initial_price[j] = self.costs_f[j] / float(self.columns[j][5])

    def run(self, share: Fraction) -> MesRun:
        return _MesRound(self, Fraction(share)).run()


class _MesRound:
    """The state of one MES run: float budgets for speed, plus what is needed to know them exactly."""

    def __init__(self, solver: MesSolver, share: Fraction) -> None:
        self.s = solver
        self.share = share
        self.share_f = float(share)
        n_groups = solver.profile.n_groups
        self.budget_f = np.full(n_groups, self.share_f)
        self.exhausted = np.zeros(n_groups, dtype=bool)
        self.paid = np.zeros(n_groups, dtype=np.int64)  # how many prices a group has paid in full (cache key)
        self.is_funded = np.zeros(solver.profile.election.n_projects, dtype=bool)
        self.price_of: dict[int, Fraction] = {}
        # Exact values are kept as integers in units of 1/D, where D is a common denominator of the share and of
        # every price so far: big-integer sums instead of fraction arithmetic (no gcd on every operation).
        self.D = share.denominator
        self.S = share.numerator  # the share × D
        self.N: dict[int, int] = {}  # price × D of each project paid for
        self.exact_cache: dict[tuple[int, int], int] = {}

    # --- exact quantities (× D) ---------------------------------------------------------------------------------

    def exact_budget(self, g: int) -> int:
        """Exactly what one voter of group g has left, × D."""
        if self.exhausted[g]:
            return 0
        key = (g, int(self.paid[g]))
        value = self.exact_cache.get(key)
        if value is None:
            profile = self.s.profile
            lo, hi = profile.g_ptr[g], profile.g_ptr[g + 1]
            value = self.S
            for project, util in zip(profile.g_proj[lo:hi].tolist(), profile.g_util[lo:hi].tolist(), strict=True):
                price = self.N.get(project)
                if price is not None:
                    value -= price * util
            self.exact_cache[key] = value
        return value

    def exact_sum(self, groups: np.ndarray) -> int:
        """Exactly Σ weight × budget over the given groups (none of them exhausted), × D."""
        if len(groups) == 0:
            return 0
        profile = self.s.profile
        weights = profile.weights[groups]
        total = self.S * int(weights.sum())
        if not self.N:
            return total
        lengths = profile.g_ptr[groups + 1] - profile.g_ptr[groups]
        entries = _ranges(profile.g_ptr[groups], lengths)
        projects = profile.g_proj[entries]
        paid = self.is_funded[projects]
        if not paid.any():
            return total
        amounts = (np.repeat(weights, lengths) * profile.g_util[entries])[paid]
        paid_projects = projects[paid]
        if self.s.float_sums_exact:
            per_project = np.bincount(paid_projects, weights=amounts.astype(np.float64))
            pairs = [(p, int(per_project[p])) for p in np.flatnonzero(per_project).tolist()]
        else:
            sums: dict[int, int] = {}
            for project, amount in zip(paid_projects.tolist(), amounts.tolist(), strict=True):
                sums[project] = sums.get(project, 0) + amount
            pairs = list(sums.items())
        for project, amount in pairs:
            total -= self.N[project] * amount
        return total

    def exact_price(self, j: int, price_f: float) -> Fraction:
        """The exact ρ of project j, using the float estimate only to classify the clear cases."""
        groups, util, util_f, _, _, _ = self.s.columns[j]
        budget = self.budget_f[groups]
        pay = price_f * util_f
        band = TOL * (self.share_f + pay)
        diff = budget - pay
        exhausted = self.exhausted[groups]
        poor = exhausted | (diff < -band)
        rich = ~exhausted & (diff > band)
        middle = np.flatnonzero(~(poor | rich))
        weights = self.s.profile.weights[groups]
        remaining = self.s.costs[j] * self.D - self.exact_sum(groups[poor & ~exhausted])
        denominator = int((weights[~poor] * util[~poor]).sum())
        price = self._scan(
            remaining, denominator, [(self.exact_budget(int(groups[i])), int(util[i]), int(weights[i])) for i in middle]
        )
        if price is None or abs(float(price) - price_f) > TOL / 2 * price_f:
            return self._exact_price_slow(j)
        return price

    def _scan(self, remaining: int, denominator: int, middle: list[tuple[int, int, int]]) -> Fraction | None:
        """pabutools' affordability scan over voters sorted by budget/utility, on the undecided voters only.

        `remaining` (cost left to cover) and the budgets are × D; the price is remaining / (denominator × D).
        """
        middle.sort(key=lambda item: Fraction(item[0], item[1]))
        for budget, util, weight in middle:
            if denominator <= 0:
                return None
            if remaining * util <= budget * denominator:
                break
            remaining -= weight * budget
            denominator -= weight * util
        if denominator <= 0:
            return None
        return Fraction(remaining, denominator * self.D)

    def _exact_price_slow(self, j: int) -> Fraction:
        groups, util, _, _, _, _ = self.s.columns[j]
        weights = self.s.profile.weights[groups]
        items = [(self.exact_budget(int(g)), int(u), int(w)) for g, u, w in zip(groups, util, weights, strict=True)]
        price = self._scan(self.s.costs[j] * self.D, int((weights * util).sum()), items)
        if price is None:  # only reachable if the project was not affordable after all
            raise ArithmeticError(f"project {j} is not affordable")
        return price

    def exactly_affordable(self, j: int) -> bool:
        groups = self.s.columns[j][0]
        return self.exact_sum(groups[~self.exhausted[groups]]) >= self.s.costs[j] * self.D

    def record_price(self, j: int, price: Fraction) -> None:
        """Add a paid price to the ledger, widening the common denominator D if needed."""
        common = self.D * price.denominator // math.gcd(self.D, price.denominator)
        if common != self.D:
            factor = common // self.D
            self.S *= factor
            self.N = {k: v * factor for k, v in self.N.items()}
            self.exact_cache.clear()
            self.D = common
        self.N[j] = price.numerator * (common // price.denominator)
        self.price_of[j] = price
        self.is_funded[j] = True

    # --- the float fast path ----------------------------------------------------------------------------------

    def float_price(self, j: int) -> float | None:
        """ρ of project j in floats, or None when its supporters cannot afford it (decided exactly if close)."""
        groups, _, util_f, weight_f, wu_f, _ = self.s.columns[j]
        budget = self.budget_f[groups]
        cost = self.s.costs_f[j]
        available = float(weight_f @ budget)
        if available < cost * (1 - TOL):
            return None
        if available <= cost * (1 + TOL) and not self.exactly_affordable(j):
            return None
        ratio = budget / util_f
        # pabutools' poor/rich iteration: start with everyone paying ρ × utility; whoever cannot pays all they have;
        # ρ only grows, and usually settles in a few vectorised passes (no sorting)
        wb = weight_f * budget
        paying = np.ones(len(groups), dtype=bool)
        price = cost / float(wu_f.sum())
        for _ in range(_POOR_RICH_PASSES):
            short = paying & (ratio < price)
            if not short.any():
                return float(price)
            paying &= ~short
            left = float(wu_f[paying].sum())
            if left <= 0:
                return float(ratio.max())
            price = (cost - float(wb[~paying].sum())) / left
        return self._sorted_price(ratio, wb, wu_f, cost)

    @staticmethod
    def _sorted_price(ratio: np.ndarray, wb: np.ndarray, wu: np.ndarray, cost: float) -> float:
        """The affordability scan of pabutools over supporters sorted by budget / utility."""
        order = np.argsort(ratio, kind="stable")
        ratio = ratio[order]
        paid_before = np.concatenate(([0.0], np.cumsum(wb[order])[:-1]))
        left = wu.sum() - np.concatenate(([0.0], np.cumsum(wu[order])[:-1]))
        with np.errstate(divide="ignore", invalid="ignore"):
            price = (cost - paid_before) / left
        fits = np.flatnonzero(price <= ratio)
        return float(price[fits[0]]) if len(fits) else float(ratio[-1])

    def pay(self, j: int, price: Fraction) -> None:
        groups, util, util_f, _, _, _ = self.s.columns[j]
        price_f = float(price)
        pay = price_f * util_f
        budget = self.budget_f[groups]
        band = TOL * (self.share_f + pay)
        diff = budget - pay
        exhausted = self.exhausted[groups]
        rich = ~exhausted & (diff > band)
        poor = ~exhausted & (diff < -band)
        for i in np.flatnonzero(~exhausted & ~rich & ~poor):
            # budget ≤ price × utility, with the budget × D and price = num / den
            if self.exact_budget(int(groups[i])) * price.denominator <= price.numerator * int(util[i]) * self.D:
                poor[i] = True
            else:
                rich[i] = True
        self.budget_f[groups[rich]] = diff[rich]
        self.paid[groups[rich]] += 1

        self.budget_f[groups[poor]] = 0.0
        self.exhausted[groups[poor]] = True
        self.record_price(j, price)

    # --- the rounds --------------------------------------------------------------------------------------------

    def run(self) -> MesRun:
        s = self.s
        result = MesRun(share=self.share, free=list(s.free), unsupported=list(s.unsupported))
        result.funded.extend(s.free)
        stale = s.initial_price.copy()
        remaining = list(s.playable)
        round_no = 0
        while remaining:
            round_no += 1
            remaining.sort(key=lambda p: (stale[p], p))
            best = np.inf
            evaluated: list[tuple[int, float]] = []
            dropped: list[int] = []
            for j in remaining:
                if stale[j] > best * (1 + TOL):
                    break
                price_f = self.float_price(j)
                if price_f is None:
                    dropped.append(j)
                    groups = s.columns[j][0]
                    behind = float(s.weights_f[groups] @ self.budget_f[groups]) / s.costs_f[j]
                    result.eliminated[j] = (round_no, behind)
                    stale[j] = np.inf
                    continue
                stale[j] = price_f
                evaluated.append((j, price_f))
                best = min(best, price_f)
            for j in dropped:
                remaining.remove(j)
            if not evaluated:
                break
            candidates = [j for j, price_f in evaluated if price_f <= best * (1 + TOL)]
            estimates = dict(evaluated)
            exact = {j: self.exact_price(j, estimates[j]) for j in candidates}
            lowest = min(exact.values())
            winner = min((j for j in candidates if exact[j] == lowest), key=lambda p: s.tie_rank[p])
            result.bounds.append(stale.copy())
            result.near.append(exact)
            self.pay(winner, lowest)
            stale[winner] = np.inf
            remaining.remove(winner)
            result.funded.append(winner)
            result.prices[winner] = lowest
        return result


_CERTIFY_MARGIN = 4 * TOL


def same_outcome_between(low: MesRun, high: MesRun, tie_rank: np.ndarray | None = None) -> bool:
    """True when every share between `low.share` and `high.share` provably funds the same projects in the same order.

    Why this is sound: with the winners of the earlier rounds fixed, every voter's budget is a non-decreasing
    function of the share (a larger budget makes every price lower, so each payment leaves at least as much) and every
    price a non-increasing one. By induction over the rounds, at any share in between, the budgets lie between those
    of the two runs, so the winner w of round r at the low share is affordable and costs at most its low-share price,
    while any other project costs at least its lower bound at the high share (a price seen in an earlier round, which
    only grows) or is unaffordable (as it is at the high share). If the low-share price of w is clearly below all
    those bounds, w wins round r everywhere in between; after the last round nothing is affordable at the high share,
    so nothing is anywhere in between. Near-ties (within a margin well above float64 error) never certify on floats.

    Exact ties are common (with cost utilities every fully paid price is 1 / number of supporters), so when
    `tie_rank` is given, a contender whose exact high-share price is known (it tied for the lowest price in that
    round) is settled exactly: w still wins if its low-share price is below that price, or equal to it with w first
    in the tie-breaking order — w then costs at most, and the contender at least, that very price.
    """
    if low.funded != high.funded or len(low.bounds) != len(high.bounds):
        return False
    paid = low.funded[len(low.funded) - len(low.bounds) :]
    exact_ties = tie_rank is not None and len(high.near) == len(high.bounds)
    for round_index, (winner, bounds) in enumerate(zip(paid, high.bounds, strict=True)):
        exact_price = low.prices[winner]
        price = float(exact_price) * (1 + _CERTIFY_MARGIN)
        others = bounds.copy()
        others[winner] = np.inf
        if exact_ties:
            for contender, contender_price in high.near[round_index].items():
                if contender == winner:
                    continue
                if exact_price < contender_price or (
                    exact_price == contender_price and tie_rank[winner] < tie_rank[contender]
                ):
                    others[contender] = np.inf  # settled exactly
                else:
                    return False
        if not (others > price).all():
            return False
    return True
