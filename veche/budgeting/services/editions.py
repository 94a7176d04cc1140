"""Setting up an edition: its money, ballot, counting rule, eligibility, map bounds, pools and categories.

Every function checks `budgeting.change_edition`, runs in a transaction and writes the audit log. The rules that tie
settings together (a threshold only for greedy-threshold, completion only for MES, …) live in `settings_problems`, a
pure function the form and the service share. Once voting has started (any ballot exists) the ballot, counting and
eligibility settings and the pools' budgets are frozen.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from veche.audit.services import record
from veche.budgeting.choices import BallotType, Completion, CountingRule, Eligibility, PoolKind
from veche.budgeting.models import Ballot, Category, Edition, Pool, Proposal
from veche.core.permissions import require_permission

#: Settings a coordinator may change on the settings page.
EDITION_FIELDS = (
    "total_budget",
    "currency",
    "rules_text",
    "ballot_type",
    "max_choices",
    "points_per_voter",
    "max_points_per_project",
    "counting_rule",
    "completion",
    "fill_greedy",
    "tie_break",
    "threshold",
    "eligibility",
    "minimum_age",
    "allow_voting_codes",
    "allow_paper",
    "secret_ballot",
    "signatures_required",
    "bounds_south",
    "bounds_west",
    "bounds_north",
    "bounds_east",
)

#: Settings frozen once the first ballot is cast: changing them would change the meaning of ballots already cast.
VOTING_FIELDS = frozenset(
    {
        "ballot_type",
        "max_choices",
        "points_per_voter",
        "max_points_per_project",
        "counting_rule",
        "completion",
        "fill_greedy",
        "tie_break",
        "threshold",
        "eligibility",
        "minimum_age",
        "secret_ballot",
    }
)

BOUNDS = ("bounds_south", "bounds_west", "bounds_north", "bounds_east")
CURRENCY = re.compile(r"^[A-Z]{3}$")


def settings_problems(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """What is wrong with a combination of edition settings, as field → messages (empty when all is well).

    Pure: takes the would-be values of EDITION_FIELDS (missing ones count as empty) and reads nothing else.
    """
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    ballot = values.get("ballot_type")
    rule = values.get("counting_rule")
    currency = values.get("currency") or ""
    if not CURRENCY.match(currency):
        add("currency", _("Use the three capital letters of the ISO code, e.g. CZK, PLN or EUR."))
    if values.get("max_choices") is not None and ballot not in (BallotType.APPROVAL, BallotType.RANKING):
        add("max_choices", _("A limit on the number of projects applies only to approval and ranking ballots."))
    if values.get("max_choices") == 0:
        add("max_choices", _("Leave it empty for no limit, or allow at least one project."))
    if ballot == BallotType.CUMULATIVE:
        points = values.get("points_per_voter")
        if not points:
            add("points_per_voter", _("A cumulative ballot needs the number of points each voter shares out."))
        per_project = values.get("max_points_per_project")
        if per_project is not None and points and per_project > points:
            add(
                "max_points_per_project",
                _("No project can get more points than a voter has (%(points)s).") % {"points": points},
            )
        if per_project == 0:
            add("max_points_per_project", _("Leave it empty for no limit, or allow at least one point."))
    else:
        for field in ("points_per_voter", "max_points_per_project"):
            if values.get(field) is not None:
                add(field, _("Points apply only to cumulative ballots; leave this empty."))
    if rule == CountingRule.GREEDY_THRESHOLD:
        if values.get("threshold") is None:
            add("threshold", _("Give the minimum support a project needs under this rule."))
    elif values.get("threshold") is not None:
        add("threshold", _("A minimum support applies only to the rule with a minimum support; leave this empty."))
    if rule != CountingRule.MES:
        if (values.get("completion") or Completion.NONE) != Completion.NONE:
            add("completion", _("Completion applies only to the Method of Equal Shares; choose None."))
        if values.get("fill_greedy"):
            add("fill_greedy", _("Filling the rest greedily applies only to the Method of Equal Shares."))
    if values.get("eligibility") == Eligibility.MINIMUM_AGE:
        if not values.get("minimum_age"):
            add("minimum_age", _("Give the minimum age of voters."))
    elif values.get("minimum_age") is not None:
        add("minimum_age", _("A minimum age applies only when eligibility is by age; leave this empty."))
    edges = [values.get(field) for field in BOUNDS]
    if any(edge is not None for edge in edges):
        if any(edge is None for edge in edges):
            add("bounds_south", _("Give all four edges of the map area, or none."))
        else:
            south, west, north, east = (Decimal(str(edge)) for edge in edges)
            if not (-90 <= south < north <= 90):
                add("bounds_north", _("The northern edge must lie north of the southern one (latitudes -90 to 90)."))
            if not (-180 <= west < east <= 180):
                add("bounds_east", _("The eastern edge must lie east of the western one (longitudes -180 to 180)."))
    return problems


def settings_warnings(values: Mapping[str, Any]) -> list[str]:
    """Allowed but risky combinations of settings, as sentences for the office (pure, like settings_problems)."""
    warnings = []
    if values.get("allow_voting_codes") and values.get("eligibility") in (Eligibility.ACCOUNT, Eligibility.MINIMUM_AGE):
        warnings.append(
            _(
                "A person could vote once with an account and again with a voting code: accounts and codes are not "
                "the same voter to veche. To give codes without that risk, use the residents' list with codes — a "
                "code drawn for a resident on the list votes as that resident."
            )
        )
    return warnings


def edition_warnings(edition: Edition) -> list[str]:
    return settings_warnings({name: getattr(edition, name) for name in EDITION_FIELDS})


def voting_started(edition: Edition) -> bool:
    """Whether any ballot was cast in the edition (one query)."""
    return Ballot.objects.filter(pool__edition=edition).exists()


def _pool_total(edition: Edition, *, without: int | None = None) -> Decimal:
    pools = Pool.objects.filter(edition=edition)
    if without is not None:
        pools = pools.exclude(pk=without)
    return pools.aggregate(total=models.Sum("budget"))["total"] or Decimal(0)


def _json(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def update_edition(*, actor: Any, edition: Edition, values: Mapping[str, Any]) -> Edition:
    """Change the edition's settings (any of EDITION_FIELDS; others raise ValueError).

    Raises PermissionDenied unless actor may change the edition; ValidationError (by field) when the combination is
    invalid (settings_problems), the pools' budgets would exceed the total budget, or a voting setting changes after
    the first ballot. Locks the edition row. Audits the fields that changed; nothing when nothing changed.
    """
    require_permission(actor, "budgeting.change_edition", edition)
    unknown = set(values) - set(EDITION_FIELDS)
    if unknown:
        raise ValueError(f"Not edition settings: {sorted(unknown)}")
    with transaction.atomic():
        Edition.objects.select_for_update().filter(pk=edition.pk).first()
        changed = [field for field in values if getattr(edition, field) != values[field]]
        if not changed:
            return edition
        merged = {field: values.get(field, getattr(edition, field)) for field in EDITION_FIELDS}
        problems = settings_problems(merged)
        frozen = sorted(VOTING_FIELDS & set(changed))
        if frozen and voting_started(edition):
            for field in frozen:
                problems.setdefault(field, []).append(
                    _("Voting has started: the ballot, counting and eligibility settings can no longer change.")
                )
        if "total_budget" in changed and merged["total_budget"] < _pool_total(edition):
            problems.setdefault("total_budget", []).append(
                _("The pools' budgets add up to %(sum)s, more than this total. Lower the pools' budgets first.")
                % {"sum": _pool_total(edition)}
            )
        if problems:
            raise ValidationError(problems, code="invalid_settings")
        before = {field: _json(getattr(edition, field)) for field in changed}
        for field in changed:
            setattr(edition, field, values[field])
        edition.save(update_fields=changed)
        record(
            actor=actor,
            action="budgeting.edition_updated",
            target=edition,
            data={
                "fields": changed,
                "before": before,
                "after": {field: _json(getattr(edition, field)) for field in changed},
            },
        )
    return edition


# --- pools ------------------------------------------------------------------------------------------------------
def _check_pool(edition: Edition, *, kind: str, budget: Decimal, pool: Pool | None = None) -> None:
    problems: dict[str, list[str]] = {}
    others = Pool.objects.filter(edition=edition)
    if pool is not None:
        others = others.exclude(pk=pool.pk)
    if kind == PoolKind.CITYWIDE and others.filter(kind=PoolKind.CITYWIDE).exists():
        problems["kind"] = [_("The edition already has a citywide pool; a voter votes in one citywide pool only.")]
    total = _pool_total(edition, without=pool.pk if pool else None) + budget
    if total > edition.total_budget:
        problems["budget"] = [
            _("The pools would then get %(sum)s %(currency)s, more than the total budget of %(total)s %(currency)s.")
            % {"sum": total, "total": edition.total_budget, "currency": edition.currency}
        ]
    if problems:
        raise ValidationError(problems, code="invalid_pool")


def _duplicate_name(exc: IntegrityError) -> ValidationError:
    return ValidationError({"name": _("The edition already has one with this name.")}, code="duplicate_name")


def add_pool(*, actor: Any, edition: Edition, name: str, kind: str, budget: Decimal) -> Pool:
    """Add a pool. At most one citywide pool; all pools' budgets together within the total budget.

    Raises PermissionDenied, ValidationError (by field). Locks the edition while it checks the budgets. Audits.
    """
    require_permission(actor, "budgeting.change_edition", edition)
    try:
        with transaction.atomic():
            Edition.objects.select_for_update().filter(pk=edition.pk).first()
            _check_pool(edition, kind=kind, budget=budget)
            last = Pool.objects.filter(edition=edition).aggregate(last=models.Max("weight"))["last"]
            pool = Pool.objects.create(
                edition=edition, name=name.strip(), kind=kind, budget=budget, weight=0 if last is None else last + 1
            )
            record(
                actor=actor,
                action="budgeting.pool_added",
                target=pool,
                organisation=edition.organisation_id,
                data={"edition": edition.pk, "kind": kind, "budget": str(budget)},
            )
    except IntegrityError as exc:
        raise _duplicate_name(exc) from exc
    return pool


def update_pool(*, actor: Any, pool: Pool, name: str, kind: str, budget: Decimal) -> Pool:
    """Rename a pool or change its kind or budget. The kind cannot change once proposals use the pool, nor the
    budget once voting has started. Same checks as add_pool otherwise. Audits what changed."""
    edition = pool.edition
    require_permission(actor, "budgeting.change_edition", edition)
    try:
        with transaction.atomic():
            Edition.objects.select_for_update().filter(pk=edition.pk).first()
            changed = {
                field: (str(getattr(pool, field)), str(value))
                for field, value in (("name", name.strip()), ("kind", kind), ("budget", budget))
                if getattr(pool, field) != value
            }
            if not changed:
                return pool
            if "kind" in changed and Proposal.objects.filter(pool=pool).exists():
                raise ValidationError(
                    {"kind": _("Proposals are filed in this pool, so its kind can no longer change.")},
                    code="pool_in_use",
                )
            if "budget" in changed and voting_started(edition):
                raise ValidationError(
                    {"budget": _("Voting has started: the pool's budget can no longer change.")}, code="voting_started"
                )
            _check_pool(edition, kind=kind, budget=budget, pool=pool)
            pool.name, pool.kind, pool.budget = name.strip(), kind, budget
            pool.save(update_fields=["name", "kind", "budget"])
            record(
                actor=actor,
                action="budgeting.pool_updated",
                target=pool,
                organisation=edition.organisation_id,
                data={"edition": edition.pk, "changes": changed},
            )
    except IntegrityError as exc:
        raise _duplicate_name(exc) from exc
    return pool


def delete_pool(*, actor: Any, pool: Pool) -> None:
    """Delete a pool no proposal uses (ValidationError otherwise). Audits."""
    edition = pool.edition
    require_permission(actor, "budgeting.change_edition", edition)
    with transaction.atomic():
        if Proposal.objects.filter(pool=pool).exists():
            raise ValidationError(
                _("Proposals are filed in this pool; it cannot be deleted. Rename it instead."), code="pool_in_use"
            )
        record(
            actor=actor,
            action="budgeting.pool_deleted",
            target=pool,
            organisation=edition.organisation_id,
            data={"edition": edition.pk, "name": pool.name, "budget": str(pool.budget)},
        )
        pool.delete()


# --- categories -------------------------------------------------------------------------------------------------
def add_category(*, actor: Any, edition: Edition, name: str) -> Category:
    """Add a category (names unique within the edition: ValidationError). Audits."""
    require_permission(actor, "budgeting.change_edition", edition)
    try:
        with transaction.atomic():
            last = Category.objects.filter(edition=edition).aggregate(last=models.Max("weight"))["last"]
            category = Category.objects.create(
                edition=edition, name=name.strip(), weight=0 if last is None else last + 1
            )
            record(
                actor=actor,
                action="budgeting.category_added",
                target=category,
                organisation=edition.organisation_id,
                data={"edition": edition.pk},
            )
    except IntegrityError as exc:
        raise _duplicate_name(exc) from exc
    return category


def rename_category(*, actor: Any, category: Category, name: str) -> Category:
    """Rename a category; proposals keep it. Audits the old and new name."""
    edition = category.edition
    require_permission(actor, "budgeting.change_edition", edition)
    name = name.strip()
    if name == category.name:
        return category
    before = category.name
    try:
        with transaction.atomic():
            category.name = name
            category.save(update_fields=["name"])
            record(
                actor=actor,
                action="budgeting.category_renamed",
                target=category,
                organisation=edition.organisation_id,
                data={"edition": edition.pk, "before": before, "after": name},
            )
    except IntegrityError as exc:
        category.name = before
        raise _duplicate_name(exc) from exc
    return category


def delete_category(*, actor: Any, category: Category) -> None:
    """Delete a category no proposal uses (ValidationError otherwise: move those proposals first). Audits."""
    edition = category.edition
    require_permission(actor, "budgeting.change_edition", edition)
    with transaction.atomic():
        if Proposal.objects.filter(category=category).exists():
            raise ValidationError(
                _("Proposals are filed in this category; it cannot be deleted. Rename it instead."),
                code="category_in_use",
            )
        record(
            actor=actor,
            action="budgeting.category_deleted",
            target=category,
            organisation=edition.organisation_id,
            data={"edition": edition.pk, "name": category.name},
        )
        category.delete()
