"""The pages where residents vote: choosing a pool, the ballot, the review step, the receipt, voting codes and the
receipt lookup. Thin views over `veche.budgeting.services.voting` (H3's service decides who may vote and whether a
ballot is valid; nothing here re-checks a ballot).

Cast endpoint (used by the review page's "Cast my vote" button and by benchmarks/pb_voting.py)
------------------------------------------------------------------------------------------------
``POST /<lang>/budgets/<edition_id>/vote/<pool_id>/`` (URL name ``budgeting:vote_pool``), form-encoded:

* ``csrfmiddlewaretoken`` — Django's CSRF token (plus the ``csrftoken`` cookie);
* ``action=cast`` — the other actions of the same form: ``review`` (show the review page), ``change`` (back to the
  ballot with the selection kept), ``filter`` (re-show the ballot filtered without JavaScript, selection kept);
* the selection, by ballot type:
  approval / knapsack: ``project=<proposal id>`` once per chosen project;
  cumulative: ``points-<proposal id>=<points>`` (empty or 0 = not chosen);
  ranking: ``rank-<proposal id>=<rank>`` (1 = first preference; empty = not ranked);
* for the no-JS filter only: ``q`` (search), ``category`` (category id), ``only_chosen`` (on).

The voter is the signed-in account (an edition whose eligibility is "any verified account" needs nothing more) or the
voter the eligibility step or the code page kept in the session for this edition. Success: 302 to
``budgeting:vote_done`` with the receipt in a signed, browser-session cookie, each receipt bound to its voter (a
truncated HMAC of the voter key): it shows only while the same voter is signed in / in the session, and "I have
finished voting" deletes the cookie, so the next person at a shared computer sees nothing. A second cast in the same
pool (double click) makes no second ballot: 302 to ``budgeting:vote_done`` with "You have already voted in this
pool".
A closed voting phase: 403. A ballot that breaks the pool's rules: 200 with the review page listing the problems.
"""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.signing import BadSignature
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from veche.budgeting.ballot_rules import normalise_code
from veche.budgeting.choices import BallotType, PoolKind
from veche.budgeting.forms.voting import (
    BallotFilterForm,
    EligibilityForm,
    ReceiptForm,
    Selection,
    VotingCodeForm,
    read_selection,
)
from veche.budgeting.models import Edition, Pool, Proposal
from veche.budgeting.services.voting import (
    NotEligible,
    Voter,
    cast_ballot,
    find_ballot,
    pools_for,
    validate_ballot,
    voter_for_code,
    voter_for_user,
)
from veche.budgeting.signals import SESSION_VOTERS  # {edition id: {"key", "channel", "user", "code"}}
from veche.core.ratelimit import limit_writes

RECEIPTS_COOKIE = "veche_ballot_receipts"
RECEIPTS_SALT = "veche.budgeting.receipts"
RECEIPTS_KEPT = 10
RECEIPT_OWNER_LENGTH = 16  # hex characters of the voter's HMAC kept next to each receipt
# Wrong voting codes (and wrong residents' identifiers) per address: a code has 60 random bits, and this makes
# guessing one hopeless without locking out a polling station whose voters share an address (only failures count).
FAILED_ATTEMPTS_RATE = "10/h"
CODE_GROUP = "budgeting.vote_with_code"
ELIGIBILITY_GROUP = "budgeting.vote_eligibility"
ELIGIBILITY_STEP = frozenset({"identifier_needed", "birth_date_needed"})
ELIGIBILITY_FIELD = {"not_on_list": "resident_identifier", "too_young": "birth_date"}


# Fetching and who is voting ------------------------------------------------------------------------------------------


def get_edition_for_voting(request: HttpRequest, edition_id: int) -> Edition:
    """The edition with its timeline if the user may see it; 404 otherwise."""
    edition = Edition.objects.with_timeline().filter(pk=edition_id).first()
    if edition is None or not request.user.has_perm("budgeting.view_edition", edition):
        raise Http404
    return edition


def _voting_open(request: HttpRequest, edition: Edition) -> bool:
    return request.user.has_perm("budgeting.vote", edition)


def _session_voter(request: HttpRequest, edition: Edition) -> Voter | None:
    """The voter the eligibility step or a voting code put in this session for this edition. An entry made for a
    signed-in person is only theirs; a code's entry belongs to the browser session that typed the code."""
    entry = request.session.get(SESSION_VOTERS, {}).get(str(edition.pk))
    if not entry:
        return None
    if entry.get("user") is not None and entry["user"] != request.user.pk:
        return None
    return Voter(key=entry["key"], channel=entry["channel"], code_id=entry.get("code"))


def _remember_voter(request: HttpRequest, edition: Edition, voter: Voter, *, user_id: int | None) -> None:
    voters = dict(request.session.get(SESSION_VOTERS, {}))
    voters[str(edition.pk)] = {"key": voter.key, "channel": voter.channel, "user": user_id, "code": voter.code_id}
    request.session[SESSION_VOTERS] = voters


def _forget_voter(request: HttpRequest, edition: Edition) -> None:
    voters = dict(request.session.get(SESSION_VOTERS, {}))
    if voters.pop(str(edition.pk), None) is not None:
        request.session[SESSION_VOTERS] = voters


def _resolve_voter(request: HttpRequest, edition: Edition) -> tuple[Voter | None, PermissionDenied | None]:
    """The voter for this request, or why there is none (the service's NotEligible carries a `reason`)."""
    voter = _session_voter(request, edition)
    if voter is not None:
        return voter, None
    try:
        return voter_for_user(user=request.user, edition=edition), None
    except PermissionDenied as refusal:
        return None, refusal


def _attempts_left(request: HttpRequest, group: str) -> bool:
    usage = get_usage(request, group=group, key="ip", rate=FAILED_ATTEMPTS_RATE, method="POST", increment=False)
    return usage is None or usage["count"] < usage["limit"]


def _count_failure(request: HttpRequest, group: str) -> None:
    get_usage(request, group=group, key="ip", rate=FAILED_ATTEMPTS_RATE, method="POST", increment=True)


# Receipts kept in the voter's browser (never on the server: under a secret ballot nothing links a person to a receipt).
# Each entry is [edition id, pool id, receipt, owner]: owner is a truncated HMAC of the voter key, so that a receipt
# shows only to the voter who cast it (the signed-in account, or the voter the session holds), not to the next person
# using the same browser.


def _owner_tag(voter_key: str) -> str:
    return salted_hmac(f"{RECEIPTS_SALT}.owner", voter_key).hexdigest()[:RECEIPT_OWNER_LENGTH]


def _current_owner(request: HttpRequest, edition: Edition) -> str | None:
    """The owner tag of whoever is voting in this request: the session's voter for the edition, else the account."""
    voter = _session_voter(request, edition)
    if voter is not None:
        return _owner_tag(voter.key)
    if getattr(request.user, "is_authenticated", False):
        return _owner_tag(f"u:{request.user.pk}")
    return None


def _receipts(request: HttpRequest) -> list[tuple[int, int, str, str]]:
    try:
        raw = request.get_signed_cookie(RECEIPTS_COOKIE, salt=RECEIPTS_SALT)
        entries = json.loads(raw or "")
    except (KeyError, BadSignature, ValueError):
        return []
    if not isinstance(entries, list):
        return []
    return [
        (entry[0], entry[1], entry[2], entry[3])
        for entry in entries
        if isinstance(entry, list) and len(entry) == 4 and isinstance(entry[2], str) and isinstance(entry[3], str)
    ]


def _own_receipts(request: HttpRequest, edition: Edition) -> list[tuple[int, str]]:
    """(pool id, receipt) of the edition's receipts in this browser that belong to the current voter."""
    owner = _current_owner(request, edition)
    if owner is None:
        return []
    return [
        (pool_id, receipt)
        for edition_id, pool_id, receipt, tag in _receipts(request)
        if edition_id == edition.pk and tag == owner
    ]


def _own_receipt(request: HttpRequest, edition: Edition, pool: Pool) -> str | None:
    for pool_id, receipt in reversed(_own_receipts(request, edition)):
        if pool_id == pool.pk:
            return receipt
    return None


def _is_own_receipt(request: HttpRequest, edition: Edition, receipt: str) -> bool:
    bare = normalise_code(receipt)
    return any(normalise_code(kept) == bare for _pool, kept in _own_receipts(request, edition))


def _keep_receipt(
    request: HttpRequest, response: HttpResponse, edition: Edition, pool: Pool, voter: Voter, receipt: str
) -> None:
    entries = [entry for entry in _receipts(request) if (entry[0], entry[1]) != (edition.pk, pool.pk)]
    entries = [*entries, (edition.pk, pool.pk, receipt, _owner_tag(voter.key))][-RECEIPTS_KEPT:]
    response.set_signed_cookie(
        RECEIPTS_COOKIE,
        json.dumps([list(entry) for entry in entries]),
        salt=RECEIPTS_SALT,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


# Presentation helpers ------------------------------------------------------------------------------------------------


def money(amount: Any, currency: str) -> str:
    value = Decimal(amount)
    places = 0 if value == value.to_integral_value() else 2
    return f"{formats.number_format(value, places, use_l10n=True, force_grouping=True)} {currency}"


def fold(text: str) -> str:
    """Lower case without accents, so that "namesti" finds "Náměstí" (static/js/budget-ballot.js does the same)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def _edition_context(edition: Edition) -> dict[str, Any]:
    return {"edition": edition, "edition_title": str(edition), "edition_url": edition.get_absolute_url()}


def _ballot_rule_text(edition: Edition, pool: Pool) -> str:
    """The pool's ballot in one sentence a voter understands."""
    if edition.ballot_type == BallotType.KNAPSACK:
        return _("Choose the projects you want. Together they may cost at most %(budget)s, this pool's budget.") % {
            "budget": money(pool.budget, edition.currency)
        }
    if edition.ballot_type == BallotType.CUMULATIVE:
        text = _("Share out %(points)s points among the projects you want.") % {"points": edition.points_per_voter}
        if edition.max_points_per_project:
            text += " " + _("At most %(limit)s points for one project.") % {"limit": edition.max_points_per_project}
        return text
    if edition.ballot_type == BallotType.RANKING:
        text = _("Rank the projects you want: 1 for your first choice, 2 for the next, and so on.")
        if edition.max_choices:
            text += " " + _("You may rank up to %(limit)s projects.") % {"limit": edition.max_choices}
        return text
    if edition.max_choices:
        return _("Choose up to %(limit)s projects you want.") % {"limit": edition.max_choices}
    return _("Choose the projects you want.")


def _closed(request: HttpRequest, edition: Edition, *, status: int = 200, message: str = "") -> HttpResponse:
    now = timezone.now()
    phase = next((phase for phase in edition.module.phases.all() if phase.phase_type == "voting"), None)
    upcoming = bool(phase and phase.starts_at and phase.starts_at > now)
    return render(
        request,
        "budgeting/vote_closed.html",
        {**_edition_context(edition), "phase": phase, "upcoming": upcoming, "message": message},
        status=status,
    )


def _problems_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _codes_of(error: ValidationError) -> set[str]:
    return {getattr(item, "code", None) or "" for item in error.error_list}


# The pools page and the eligibility step -----------------------------------------------------------------------------


@limit_writes
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, edition_id: int) -> HttpResponse:
    """Start here: the eligibility step when the edition asks for one, then the pools this voter may vote in."""
    edition = get_edition_for_voting(request, edition_id)
    if request.method == "POST" and request.POST.get("action") == "finish":
        _forget_voter(request, edition)
        messages.success(request, _("You have finished voting on this device. Thank you for taking part."))
        response = redirect(edition.get_absolute_url())
        response.delete_cookie(RECEIPTS_COOKIE, samesite="Lax")  # the next person here must not see the receipts
        return response
    if not _voting_open(request, edition):
        return _closed(request, edition, status=403 if request.method == "POST" else 200)
    voter, refusal = _resolve_voter(request, edition)
    if voter is None:
        reason = getattr(refusal, "reason", "")
        if reason in ELIGIBILITY_STEP:
            return _eligibility_step(request, edition)
        if reason == "sign_in":
            return render(request, "budgeting/vote_sign_in.html", _edition_context(edition))
        return render(
            request,
            "budgeting/vote_refused.html",
            {**_edition_context(edition), "message": str(refusal), "reason": reason},
            status=403,
        )
    choices = pools_for(voter=voter, edition=edition)
    citywide = [choice for choice in choices if choice.pool.kind == PoolKind.CITYWIDE]
    districts = [choice for choice in choices if choice.pool.kind == PoolKind.DISTRICT]
    voted_district = next((choice.pool for choice in districts if choice.has_voted), None)
    return render(
        request,
        "budgeting/vote.html",
        {
            **_edition_context(edition),
            "citywide": [_pool_item(edition, choice) for choice in citywide],
            "districts": [_pool_item(edition, choice) for choice in districts],
            "voted_district": voted_district,
            "by_code": voter.channel == "code",
            "ballot_rule": _ballot_rule_text(edition, citywide[0].pool if citywide else choices[0].pool)
            if choices
            else "",
        },
    )


def _pool_item(edition: Edition, choice: Any) -> dict[str, Any]:
    return {
        "pool": choice.pool,
        "budget": money(choice.pool.budget, edition.currency),
        "has_voted": choice.has_voted,
        "may_vote": choice.may_vote,
        "url": reverse("budgeting:vote_pool", kwargs={"edition_id": edition.pk, "pool_id": choice.pool.pk}),
        "done_url": reverse("budgeting:vote_done", kwargs={"edition_id": edition.pk, "pool_id": choice.pool.pk}),
    }


def _eligibility_step(request: HttpRequest, edition: Edition) -> HttpResponse:
    form = EligibilityForm(request.POST if request.method == "POST" else None, edition=edition)
    if request.method == "POST" and form.is_valid():
        if not _attempts_left(request, ELIGIBILITY_GROUP):
            raise Ratelimited
        try:
            voter = voter_for_user(
                user=request.user,
                edition=edition,
                resident_identifier=form.cleaned_data.get("resident_identifier"),
                birth_date=form.cleaned_data.get("birth_date"),
            )
        except PermissionDenied as refusal:
            reason = getattr(refusal, "reason", "")
            if reason == "not_on_list":
                _count_failure(request, ELIGIBILITY_GROUP)
            field = ELIGIBILITY_FIELD.get(reason)
            if field not in form.fields:
                return render(
                    request,
                    "budgeting/vote_refused.html",
                    {**_edition_context(edition), "message": str(refusal), "reason": reason},
                    status=403,
                )
            form.add_error(field, str(refusal))
        else:
            _remember_voter(request, edition, voter, user_id=request.user.pk)
            return redirect("budgeting:vote", edition_id=edition.pk)
    return render(request, "budgeting/vote_eligibility.html", {**_edition_context(edition), "form": form})


# Voting with a code --------------------------------------------------------------------------------------------------


@limit_writes
@require_http_methods(["GET", "POST"])
def vote_with_code(request: HttpRequest, edition_id: int) -> HttpResponse:
    """A voting code from a letter is a credential: no account needed. The voter is kept in the session."""
    edition = get_edition_for_voting(request, edition_id)
    if not edition.allow_voting_codes:
        raise Http404
    if not _voting_open(request, edition):
        return _closed(request, edition, status=403 if request.method == "POST" else 200)
    form = VotingCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not _attempts_left(request, CODE_GROUP):
            raise Ratelimited
        if form.is_valid():
            try:
                voter = voter_for_code(edition=edition, code=form.cleaned_data["code"])
            except ValidationError as error:
                _count_failure(request, CODE_GROUP)
                form.add_error("code", error)
            else:
                request.session.cycle_key()  # a credential was just presented: no session fixation
                _remember_voter(request, edition, voter, user_id=None)
                messages.success(request, _("Your voting code is accepted. Choose where to vote."))
                return redirect("budgeting:vote", edition_id=edition.pk)
    return render(request, "budgeting/vote_code.html", {**_edition_context(edition), "form": form})


# The ballot, the review step and casting -----------------------------------------------------------------------------


@limit_writes
@require_http_methods(["GET", "POST"])
def vote_pool(request: HttpRequest, edition_id: int, pool_id: int) -> HttpResponse:
    """The ballot of one pool (GET), and its form's actions (POST): filter, review, change, cast."""
    edition = get_edition_for_voting(request, edition_id)
    if not _voting_open(request, edition):
        return _closed(request, edition, status=403 if request.method == "POST" else 200)
    voter, _refusal = _resolve_voter(request, edition)
    if voter is None:
        return redirect("budgeting:vote", edition_id=edition.pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "cast":
        pool = get_object_or_404(Pool, pk=pool_id, edition=edition)
        return _cast(request, edition, pool, voter)

    choice = next((choice for choice in pools_for(voter=voter, edition=edition) if choice.pool.pk == pool_id), None)
    if choice is None:
        raise Http404
    pool = choice.pool
    if choice.has_voted:
        messages.info(request, _("You have already voted in this pool."))
        return redirect("budgeting:vote_done", edition_id=edition.pk, pool_id=pool.pk)
    if not choice.may_vote:
        messages.warning(request, _("You have already voted in another district's pool; you may vote in one only."))
        return redirect("budgeting:vote", edition_id=edition.pk)

    selection = read_selection(request.POST, edition.ballot_type) if request.method == "POST" else Selection()
    if action == "review":
        return _review(request, edition, pool, selection)
    problems: list[str] = []
    if action == "change":
        problems = selection.errors or _validation_problems(edition, pool, selection)
    elif action in ("filter", "clear"):
        problems = selection.errors
    if action == "filter":
        filters = BallotFilterForm(request.POST)
    else:
        filters = BallotFilterForm(None if action == "clear" else request.GET or None)
    return _ballot_page(request, edition, pool, selection, problems=problems, filters=filters)


def _validation_problems(edition: Edition, pool: Pool, selection: Selection) -> list[str]:
    if not selection.marks:
        return []  # an empty ballot on the way back is not a mistake yet
    try:
        validate_ballot(edition=edition, pool=pool, projects=selection.projects, points=selection.points)
    except ValidationError as error:
        return _problems_of(error)
    return []


def _ballot_rows(edition: Edition, pool: Pool) -> list[Proposal]:
    return list(
        Proposal.objects.filter(pool=pool)
        .on_ballot()
        .select_related("category")
        .only(
            "id",
            "edition_id",
            "number",
            "title",
            "summary",
            "cost_estimate",
            "verified_cost",
            "latitude",
            "longitude",
            "address",
            "category__id",
            "category__name",
            "category__weight",
        )
        .order_by("number")
    )


def _ballot_page(
    request: HttpRequest,
    edition: Edition,
    pool: Pool,
    selection: Selection,
    *,
    problems: list[str],
    filters: BallotFilterForm,
) -> HttpResponse:
    proposals = _ballot_rows(edition, pool)
    categories: dict[int, Any] = {}
    for proposal in proposals:
        if proposal.category_id is not None:
            categories.setdefault(proposal.category_id, proposal.category)
    ordered = sorted(categories.values(), key=lambda category: (category.weight, category.name, category.pk))
    filters.set_categories([(category.pk, category.name) for category in ordered])
    wanted = filters.values()
    query = fold(wanted["q"].strip())

    rows = []
    features = []
    for proposal in proposals:
        mark = selection.marks.get(proposal.pk)
        search = fold(f"{proposal.number} {proposal.title} {proposal.summary}")
        shown = (
            (not query or query in search)
            and (wanted["category"] is None or proposal.category_id == wanted["category"])
            and (not wanted["only_chosen"] or mark is not None)
        )
        cost_text = money(proposal.cost, edition.currency)
        url = proposal.get_absolute_url()
        rows.append(
            {
                "proposal": proposal,
                "cost": proposal.cost,
                "cost_text": cost_text,
                "category": proposal.category.name if proposal.category else "",
                "category_id": proposal.category_id or "",
                "search": search,
                "mark": "" if mark is None or mark is True else mark,
                "chosen": mark is not None,
                "hidden": not shown,
                "url": url,
            }
        )
        latitude, longitude = proposal.latitude, proposal.longitude
        if latitude is not None and longitude is not None:
            text = f"{cost_text} · {proposal.category.name}" if proposal.category else cost_text
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
                    "properties": {"title": f"{proposal.number}. {proposal.title}", "url": url, "text": text},
                }
            )

    tally = _tally(edition, pool, selection, {row["proposal"].pk: row["cost"] for row in rows})
    limit = _limit(edition, len(rows))
    context = {
        **_edition_context(edition),
        "pool": pool,
        "rows": rows,
        "shown_count": sum(1 for row in rows if not row["hidden"]),
        "filters": filters,
        "filtered": any((wanted["q"], wanted["category"], wanted["only_chosen"])),
        "problems": problems,
        "ballot_rule": _ballot_rule_text(edition, pool),
        "ballot_type": edition.ballot_type,
        "limit": limit,
        "tally": tally,
        "budget": pool.budget,
        "budget_text": money(pool.budget, edition.currency),
        "map_data": {"type": "FeatureCollection", "features": features},
        "has_map": bool(features),
        "texts": _ballot_texts(edition),
    }
    return render(request, "budgeting/vote_ballot.html", context)


def _limit(edition: Edition, count: int) -> int | None:
    """The number the meter counts up to: most projects (approval, ranking) or points (cumulative)."""
    if edition.ballot_type == BallotType.CUMULATIVE:
        return edition.points_per_voter
    if edition.ballot_type in (BallotType.APPROVAL, BallotType.RANKING):
        return edition.max_choices
    return None


def _tally(edition: Edition, pool: Pool, selection: Selection, costs: dict[int, Decimal]) -> dict[str, Any]:
    """The running totals the meter shows before any JavaScript runs (the same sentences the script writes). The
    meter's scale grows past the limit when the voter is over it, so that the bar shows red rather than full."""
    tally = _tally_of(edition, pool, selection, costs)
    tally["meter_max"] = max(tally["value"], tally["max"] or 0)
    return tally


def _tally_of(edition: Edition, pool: Pool, selection: Selection, costs: dict[int, Decimal]) -> dict[str, Any]:
    chosen = [pk for pk in selection.projects if pk in costs]
    if edition.ballot_type == BallotType.KNAPSACK:
        spent = sum((costs[pk] for pk in chosen), Decimal(0))
        left = pool.budget - spent
        over = left < 0
        if over:
            text = _("Over the budget by %(over)s. Remove a project or choose a cheaper one.") % {
                "over": money(-left, edition.currency)
            }
        else:
            text = _("Spent %(spent)s of %(budget)s. Left: %(left)s.") % {
                "spent": money(spent, edition.currency),
                "budget": money(pool.budget, edition.currency),
                "left": money(left, edition.currency),
            }
        return {"value": spent, "max": pool.budget, "over": over, "text": text}
    if edition.ballot_type == BallotType.CUMULATIVE:
        used = sum(points for points in (selection.points or []) if isinstance(points, int))
        total = edition.points_per_voter or 0
        over = bool(total) and used > total
        if over:
            text = _("Points given: %(used)s of %(total)s. That is %(over)s too many.") % {
                "used": used,
                "total": total,
                "over": used - total,
            }
        else:
            text = _("Points given: %(used)s of %(total)s. Left: %(left)s.") % {
                "used": used,
                "total": total,
                "left": total - used,
            }
        return {"value": used, "max": total, "over": over, "text": text}
    count = len(selection.marks)
    limit = edition.max_choices
    excess = count - limit if limit else 0
    over = excess > 0
    if edition.ballot_type == BallotType.RANKING:
        text = (
            _("Ranked: %(count)s of at most %(limit)s.") % {"count": count, "limit": limit}
            if limit
            else _("Ranked: %(count)s.") % {"count": count}
        )
    else:
        text = (
            _("Chosen: %(count)s of at most %(limit)s.") % {"count": count, "limit": limit}
            if limit
            else _("Chosen: %(count)s.") % {"count": count}
        )
    if over:
        text += " " + _("Remove %(excess)s before you review your vote.") % {"excess": excess}
    return {"value": count, "max": limit, "over": over, "text": text}


def _ballot_texts(edition: Edition) -> dict[str, str]:
    """The sentences budget-ballot.js fills in (placeholders %(name)s), translated here."""
    return {
        "currency": edition.currency,
        "spent": _("Spent %(spent)s of %(budget)s. Left: %(left)s."),
        "over_budget": _("Over the budget by %(over)s. Remove a project or choose a cheaper one."),
        "points": _("Points given: %(used)s of %(total)s. Left: %(left)s."),
        "points_over": _("Points given: %(used)s of %(total)s. That is %(over)s too many."),
        "chosen": _("Chosen: %(count)s."),
        "chosen_limit": _("Chosen: %(count)s of at most %(limit)s."),
        "ranked": _("Ranked: %(count)s."),
        "ranked_limit": _("Ranked: %(count)s of at most %(limit)s."),
        "excess": _("Remove %(excess)s before you review your vote."),
        "shown": _("Projects shown: %(shown)s of %(total)s."),
    }


def _chosen_rows(edition: Edition, pool: Pool, selection: Selection) -> list[dict[str, Any]]:
    """The chosen projects in the ballot's order, for the review and confirmation pages."""
    found = {
        proposal.pk: proposal
        for proposal in Proposal.objects.filter(pool=pool, pk__in=selection.projects[:1000])
        .on_ballot()
        .select_related("category")
        .only("id", "edition_id", "number", "title", "cost_estimate", "verified_cost", "category__name")
    }
    rows = []
    for index, pk in enumerate(selection.projects):
        proposal = found.get(pk)
        if proposal is None:
            continue
        rows.append(
            {
                "proposal": proposal,
                "cost_text": money(proposal.cost, edition.currency),
                "cost": proposal.cost,
                "points": selection.points[index] if selection.points else None,
                "rank": index + 1,
            }
        )
    return rows


def _review(request: HttpRequest, edition: Edition, pool: Pool, selection: Selection) -> HttpResponse:
    problems = list(selection.errors)
    if not problems:
        try:
            validate_ballot(edition=edition, pool=pool, projects=selection.projects, points=selection.points)
        except ValidationError as error:
            problems = _problems_of(error)
    return _review_page(request, edition, pool, selection, problems)


def _review_page(
    request: HttpRequest, edition: Edition, pool: Pool, selection: Selection, problems: list[str], *, status: int = 200
) -> HttpResponse:
    chosen = _chosen_rows(edition, pool, selection)
    total_cost = sum((row["cost"] for row in chosen), Decimal(0))
    return render(
        request,
        "budgeting/vote_review.html",
        {
            **_edition_context(edition),
            "pool": pool,
            "chosen": chosen,
            "problems": problems,
            "hidden_fields": selection.hidden_fields(edition.ballot_type),
            "ballot_type": edition.ballot_type,
            "total_cost": money(total_cost, edition.currency),
            "budget_text": money(pool.budget, edition.currency),
            "points_used": sum(selection.points or []),
            "points_total": edition.points_per_voter,
            "ballot_rule": _ballot_rule_text(edition, pool),
        },
        status=status,
    )


def _cast(request: HttpRequest, edition: Edition, pool: Pool, voter: Voter) -> HttpResponse:
    selection = read_selection(request.POST, edition.ballot_type)
    if selection.errors:
        return _review_page(request, edition, pool, selection, list(selection.errors))
    pool.edition = edition  # already loaded with its timeline: the service need not read it again
    try:
        ballot = cast_ballot(voter=voter, pool=pool, projects=selection.projects, points=selection.points)
    except NotEligible as refusal:  # the code was revoked, or the resident left the list, since they were let in
        _forget_voter(request, edition)
        return render(
            request,
            "budgeting/vote_refused.html",
            {**_edition_context(edition), "message": str(refusal), "reason": refusal.reason},
            status=403,
        )
    except PermissionDenied as error:
        return _closed(request, edition, status=403, message=str(error))
    except ValidationError as error:
        codes = _codes_of(error)
        if "already_voted" in codes:
            messages.info(
                request,
                _("You have already voted in this pool. Your first ballot counts; nothing was changed."),
            )
            return redirect("budgeting:vote_done", edition_id=edition.pk, pool_id=pool.pk)
        if codes & {"one_district_only", "wrong_district"}:
            messages.warning(request, " ".join(_problems_of(error)))
            return redirect("budgeting:vote", edition_id=edition.pk)
        return _review_page(request, edition, pool, selection, _problems_of(error))
    response = redirect("budgeting:vote_done", edition_id=edition.pk, pool_id=pool.pk)
    _keep_receipt(request, response, edition, pool, voter, ballot.receipt)
    return response


# After casting: the receipt ------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def vote_done(request: HttpRequest, edition_id: int, pool_id: int) -> HttpResponse:
    """The confirmation with the receipt code, read from this browser's receipts cookie (the current voter's only)."""
    edition = get_edition_for_voting(request, edition_id)
    pool = get_object_or_404(Pool, pk=pool_id, edition=edition)
    receipt = _own_receipt(request, edition, pool)
    ballot = find_ballot(edition=edition, receipt=receipt) if receipt else None
    return render(
        request,
        "budgeting/vote_done.html",
        {
            **_edition_context(edition),
            "pool": pool,
            "receipt": ballot.receipt if ballot else None,
            "chosen": _ballot_rows_of(edition, ballot) if ballot else [],
            "ballot_type": edition.ballot_type,
            "voting_open": _voting_open(request, edition),
        },
    )


def _ballot_rows_of(edition: Edition, ballot: Any) -> list[dict[str, Any]]:
    selection = Selection(projects=[int(pk) for pk in ballot.projects], points=ballot.points)
    return _chosen_rows(edition, ballot.pool, selection)


@limit_writes
@require_http_methods(["GET", "POST"])
def receipt(request: HttpRequest, edition_id: int) -> HttpResponse:
    """Find a ballot by its receipt code: anyone once the edition publishes its anonymised ballots, and the voter
    themself right after casting (the receipt is in their browser, bound to them). The code is POSTed so it stays out
    of logs."""
    edition = get_edition_for_voting(request, edition_id)
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    ballot = None
    not_yet = False
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["receipt"]
        if edition.ballots_published or _is_own_receipt(request, edition, code):
            ballot = find_ballot(edition=edition, receipt=code)
            if ballot is None:
                form.add_error(
                    "receipt", _("No ballot in this budget has this receipt code. Check it for typing errors.")
                )
        else:
            not_yet = True
    return render(
        request,
        "budgeting/vote_receipt.html",
        {
            **_edition_context(edition),
            "form": form,
            "ballot": ballot,
            "chosen": _ballot_rows_of(edition, ballot) if ballot else [],
            "ballot_type": edition.ballot_type,
            "not_yet": not_yet,
            "results_published": edition.results_published_at is not None,
        },
    )
