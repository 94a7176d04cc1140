"""Tie-breaking: which of several equally good projects a rule takes first.

Every rule asks one question when projects tie: "in which order do these projects come?". A `TieBreak` answers it
with a total order on projects, fixed before counting starts (so the same tie is broken the same way at every
budget level of a completion, as equalshares.net advises):

* ``id``          – smallest project id compared as text ("10" < "9"): pabutools' default (lexicographic);
* ``cost-votes``  – lowest cost, then most votes, then id: equalshares.net's recommendation;
* ``votes-cost``  – most votes, then lowest cost, then id;
* ``order:A,B,C`` – an explicit order published by the city (e.g. drawn by lot); unlisted projects follow by id.

"Votes" are the number of voters who list the project on their ballot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from veche.budgeting.rules_engine.election import Election

NAMED = ("id", "cost-votes", "votes-cost")


@dataclass(frozen=True)
class TieBreak:
    """A named tie-breaking rule; `order` lists project ids for the ``order`` kind."""

    kind: str = "id"
    order: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> TieBreak:
        """Read the CLI/settings form: a name from NAMED or ``order:ID,ID,…``."""
        text = text.strip()
        if text in NAMED:
            return cls(text)
        if text.startswith("order:"):
            ids = tuple(part.strip() for part in text[len("order:") :].split(",") if part.strip())
            if not ids:
                raise ValueError("order: needs at least one project id")
            if len(set(ids)) != len(ids):
                raise ValueError("order: lists a project twice")
            return cls("order", ids)
        raise ValueError(f"unknown tie-breaking {text!r}: use one of {', '.join(NAMED)} or order:ID,ID,…")

    def __str__(self) -> str:
        return f"order:{','.join(self.order)}" if self.kind == "order" else self.kind

    def rank(self, election: Election) -> np.ndarray:
        """rank[j] = position of project j in the tie-breaking order (0 = taken first)."""
        ids = election.project_ids
        keys: list[tuple[object, ...]]
        if self.kind == "id":
            keys = [(pid,) for pid in ids]
        elif self.kind in ("cost-votes", "votes-cost"):
            votes = election.supporters
            if self.kind == "cost-votes":
                keys = [(election.costs[j], -int(votes[j]), ids[j]) for j in range(len(ids))]
            else:
                keys = [(-int(votes[j]), election.costs[j], ids[j]) for j in range(len(ids))]
        elif self.kind == "order":
            unknown = [pid for pid in self.order if pid not in set(ids)]
            if unknown:
                raise ValueError(f"tie-breaking order names unknown projects: {', '.join(unknown)}")
            position = {pid: i for i, pid in enumerate(self.order)}
            keys = [(position.get(pid, len(position)), pid) for pid in ids]
        else:
            raise ValueError(f"unknown tie-breaking {self.kind!r}")
        order = sorted(range(len(ids)), key=keys.__getitem__)  # type: ignore[arg-type]  # homogeneous tuples
        rank = np.empty(len(ids), dtype=np.int64)
        rank[order] = np.arange(len(ids))
        return rank
