"""Signal receivers of the budgeting app."""

from __future__ import annotations

from typing import Any

SESSION_VOTERS = "budgeting.voters"  # the same key as views/voting.py keeps voters under


def forget_voters_on_sign_in_or_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A voter kept in the session (a voting code typed or a resident identifier checked) belongs to the person who
    typed it: when someone signs in or out in the same browser, it must not carry over to them."""
    session = getattr(request, "session", None)
    if session is not None and SESSION_VOTERS in session:
        del session[SESSION_VOTERS]
