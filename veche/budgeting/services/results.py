"""Counting an edition's pools, publishing the results, and the anonymised ballot list.

The counting itself is the pure engine's (veche.budgeting.rules_engine); this module turns a pool's ballots into an
`Election`, runs the edition's rule and the standard rules for comparison, checks an imported file's official result,
and stores everything the results page shows in `PoolResult`, so that no page ever recounts.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import partial
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veche.audit.services import record
from veche.budgeting.choices import BallotType, EditionSource, ProposalStatus
from veche.budgeting.models import Ballot, Edition, Implementation, Pool, PoolResult, Proposal
from veche.budgeting.module import RESULTS, VOTE
from veche.budgeting.pabulib import format_number
from veche.budgeting.rules_engine import (
    CompletionError,
    Election,
    RuleSpec,
    TallyResult,
    compare,
    standard_specs,
    tally,
)
from veche.budgeting.rules_engine.official import check_official
from veche.budgeting.services import voting
from veche.core.permissions import require_permission
from veche.notifications.services import notify, translatable
from veche.participation.phases import PhaseState

BALLOT_KINDS = {
    BallotType.APPROVAL: "approval",
    BallotType.KNAPSACK: "approval",
    BallotType.CUMULATIVE: "cumulative",
    BallotType.RANKING: "ordinal",
}
PROGRESS_TIMEOUT = 24 * 3600

ACTION_LABELS = {
    "budgeting.pool_counted": gettext_lazy("Budget pool counted"),
    "budgeting.results_published": gettext_lazy("Budget results published"),
    "budgeting.ballots_published": gettext_lazy("Anonymised ballots published"),
    "budgeting.ballots_withdrawn": gettext_lazy("Anonymised ballots withdrawn"),
    "budgeting.implementation_updated": gettext_lazy("Implementation of a funded project updated"),
    "budgeting.pabulib_imported": gettext_lazy("Pabulib file imported"),
}


# --- helpers --------------------------------------------------------------------------------------------------------


def exact(value: Decimal | int | str) -> Fraction:
    """A Decimal (money) as an exact fraction."""
    return Fraction(str(value))


def money_text(value: Fraction) -> str:
    try:
        return format_number(value)
    except ValueError:
        return f"{float(value):.2f}"


def ballot_kind(edition: Edition, pool: Pool) -> str:
    """The engine's ballot kind: an imported pool keeps its file's vote type (scoring stays scoring)."""
    vote_type = str(pool.pabulib_meta.get("vote_type", "")).strip().lower()
    if edition.source == EditionSource.PABULIB and vote_type in ("approval", "choose-1", "cumulative", "scoring"):
        return "approval" if vote_type == "choose-1" else vote_type
    return BALLOT_KINDS[BallotType(edition.ballot_type)]


def _max_length(edition: Edition, pool: Pool) -> int | None:
    raw = str(pool.pabulib_meta.get("max_length", "")).strip()
    if raw.isdigit():
        return int(raw)
    return edition.max_choices


def build_election(*, pool: Pool, edition: Edition | None = None) -> tuple[Election, list[Proposal]]:
    """The pool as the engine's Election: its accepted proposals (project id = Proposal.project_id, cost = the
    verified cost or the estimate) and its ballots, streamed in one query in receipt order. Ballot entries naming a
    proposal that is no longer on the ballot are left out."""
    edition = edition or pool.edition
    proposals = list(Proposal.objects.filter(pool=pool, status=ProposalStatus.ACCEPTED).order_by("number"))
    project_of = {p.pk: p.project_id for p in proposals}
    kind = ballot_kind(edition, pool)
    with_points = kind in ("cumulative", "scoring")
    ballots: list[list[str]] = []
    points: list[list[Fraction]] = []
    rows = Ballot.objects.filter(pool=pool).order_by("receipt").values_list("projects", "points")
    for chosen, given in rows.iterator(chunk_size=5000):
        if with_points:
            pairs = [(project_of[p], g) for p, g in zip(chosen, given or [], strict=False) if p in project_of]
            ballots.append([pid for pid, _g in pairs])
            points.append([Fraction(str(g)) for _pid, g in pairs])
        else:
            ballots.append([project_of[p] for p in chosen if p in project_of])
    election = Election.build(
        project_ids=[p.project_id for p in proposals],
        costs=[exact(p.cost) for p in proposals],
        budget=exact(pool.budget),
        kind=kind,
        ballots=ballots,
        points=points if with_points else None,
        max_length=_max_length(edition, pool) if kind == "ordinal" else None,
    )
    return election, proposals


def _metrics_json(result: TallyResult) -> dict[str, Any]:
    m = result.metrics
    return {
        "utility": m.utility,
        "voters": m.voters,
        "share_with_funded": m.share_with_funded,
        "average_satisfaction": m.average_satisfaction,
        "gini": m.gini,
        "budget": money_text(result.budget),
        "spent": money_text(result.spent),
    }


def _spec_json(spec: RuleSpec) -> dict[str, Any]:
    return {
        "label": spec.label(),
        "rule": spec.rule,
        "utility": spec.utility,
        "completion": spec.completion,
        "fill_greedy": spec.fill_greedy,
        "comparison": spec.comparison,
        "threshold": money_text(spec.threshold) if spec.threshold is not None else None,
        "tie_break": str(spec.tie_break),
    }


def _official_selected(proposals: list[Proposal]) -> frozenset[str] | None:
    if not any("selected" in p.extra for p in proposals):
        return None
    return frozenset(p.project_id for p in proposals if str(p.extra.get("selected", "")).strip() == "1")


def _check_counting_allowed(edition: Edition) -> None:
    if edition.source != EditionSource.PABULIB and edition.module.allows(VOTE):
        raise ValidationError(_("Voting is still open: count the ballots once it has closed."), code="voting_open")
    voting.check_paper_batches_closed(edition)  # "Close the paper batches first: …"


# --- counting -------------------------------------------------------------------------------------------------------


def count_pool(*, actor: Any, pool: Pool) -> PoolResult:
    """Count `pool` under its edition's rule and store the outcome, the figures, the comparison with the standard
    rules and (for imported editions whose META names the rule and marks the funded projects) the official check.

    Raises PermissionDenied unless actor may count the edition's results, ValidationError while voting is open or
    when the rule cannot be applied (e.g. the completion does not settle). Recounting replaces the stored result.
    Audits.
    """
    edition = Edition.objects.with_timeline().get(pk=pool.edition_id)
    require_permission(actor, "budgeting.count_results", edition)
    _check_counting_allowed(edition)
    if edition.secret_ballot and edition.ballots_sealed_at is None:
        voting.seal_ballot_box(actor=actor, edition=edition)  # one xmin, receipt order (docs/adr/0011)
    election, proposals = build_election(pool=pool, edition=edition)
    spec = edition.rule_spec()
    try:
        result = tally(election, spec)
        specs = standard_specs(election, spec.threshold, spec.tie_break)
        if spec not in specs:
            specs.insert(0, spec)
        rows = compare(election, specs)
    except (CompletionError, ValueError) as exc:
        raise ValidationError(
            _("The ballots could not be counted with this rule: %(problem)s"), params={"problem": str(exc)}
        ) from exc
    proposal_of = {p.project_id: p for p in proposals}
    outcome = [
        {
            "proposal": proposal_of[row.project_id].pk,
            "number": proposal_of[row.project_id].number,
            "project_id": row.project_id,
            "cost": money_text(row.cost),
            "score": money_text(row.score),
            "votes": row.votes,
            "funded": row.funded,
            "reason": row.reason.value,
            "position": row.position,
        }
        for row in result.projects
    ]
    own = next(row for row in rows if row.spec == spec)
    metrics = _metrics_json(own)
    metrics.update(
        share_per_voter=money_text(result.share_per_voter) if result.share_per_voter is not None else None,
        completion_steps=result.completion_steps,
        notes=list(result.notes),
        ballot_kind=election.kind,
    )
    comparison = [
        {
            **_spec_json(row.spec),
            "current": row.spec == spec,
            "funded": list(row.funded),
            "metrics": _metrics_json(row),
        }
        for row in rows
    ]
    official = None
    meta = {str(k): str(v) for k, v in pool.pabulib_meta.items()}
    if edition.source == EditionSource.PABULIB and meta.get("rule"):
        official = check_official(election, meta, _official_selected(proposals)).as_dict()
    with transaction.atomic():
        stored, _created = PoolResult.objects.update_or_create(
            pool=pool,
            defaults={
                "ballots": election.n_voters,
                "spec": _spec_json(spec),
                "outcome": outcome,
                "metrics": metrics,
                "comparison": comparison,
                "official_check": official,
            },
        )
        record(
            actor=actor,
            action="budgeting.pool_counted",
            target=pool,
            organisation=edition.organisation_id,
            data={
                "edition": edition.pk,
                "rule": spec.label(),
                "ballots": election.n_voters,
                "funded": len(result.funded),
            },
        )
    return stored


def _progress_key(edition_id: int) -> str:
    return f"budgeting:count-progress:{edition_id}"


def count_progress(edition: Edition) -> dict[str, Any] | None:
    """The last count's progress: {"state": queued|running|done|failed, "done": n, "total": n, "error": str}."""
    return cache.get(_progress_key(edition.pk))


def set_count_progress(edition_id: int, **values: Any) -> None:
    current = cache.get(_progress_key(edition_id)) or {}
    current.update(values)
    cache.set(_progress_key(edition_id), current, PROGRESS_TIMEOUT)


def count_edition(*, actor: Any, edition: Edition) -> None:
    """Count every pool of the edition, recording progress as it goes (see count_progress).

    Raises PermissionDenied and ValidationError as count_pool does; on an error the progress says which pool failed.
    Runs inside the count task (veche.budgeting.tasks.count_edition_task) or directly.
    """
    edition = Edition.objects.with_timeline().get(pk=edition.pk)
    require_permission(actor, "budgeting.count_results", edition)
    _check_counting_allowed(edition)
    pools = list(edition.pools.all())
    set_count_progress(edition.pk, state="running", done=0, total=len(pools), error="")
    for done, pool in enumerate(pools, start=1):
        try:
            count_pool(actor=actor, pool=pool)
        except ValidationError as exc:
            set_count_progress(edition.pk, state="failed", error=f"{pool.name}: {' '.join(exc.messages)}")
            raise
        set_count_progress(edition.pk, done=done)
    set_count_progress(edition.pk, state="done", finished=timezone.now().isoformat())


def start_count(*, actor: Any, edition: Edition) -> None:
    """Queue the count of every pool in a background task (after the current transaction commits)."""
    from veche.budgeting.tasks import count_edition_task

    require_permission(actor, "budgeting.count_results", edition)
    _check_counting_allowed(edition)
    set_count_progress(edition.pk, state="queued", done=0, total=edition.pools.count(), error="")
    transaction.on_commit(lambda: count_edition_task.enqueue(edition_id=edition.pk, actor_id=actor.pk))


# --- publishing -----------------------------------------------------------------------------------------------------


def may_publish_now(edition: Edition) -> bool:
    """Results may be published in the results phase or later, or at any time for an imported edition."""
    if edition.source == EditionSource.PABULIB:
        return True
    module = edition.module
    return module.allows(RESULTS) or module.state() == PhaseState.FINISHED


def publish_results(*, actor: Any, edition: Edition) -> Edition:
    """Publish the counted results: set results_published_at, give each funded proposal an implementation record
    (status planned), notify the authors and co-authors of funded proposals. Idempotent for the records.

    Raises PermissionDenied unless actor may count the results; ValidationError before the results phase (for
    editions run on veche), or when a pool has not been counted. Audits.
    """
    edition = Edition.objects.with_timeline().get(pk=edition.pk)
    require_permission(actor, "budgeting.count_results", edition)
    if edition.results_published_at is not None:
        return edition
    if not may_publish_now(edition):
        raise ValidationError(_("Results can be published once the results phase has begun."), code="too_early")
    pools = list(edition.pools.all())
    counted = dict(PoolResult.objects.filter(pool__edition=edition).values_list("pool_id", "outcome"))
    missing = [pool.name for pool in pools if pool.pk not in counted]
    if not pools or missing:
        raise ValidationError(
            _("Count every pool before publishing; not counted yet: %(pools)s."),
            params={"pools": ", ".join(missing) or "—"},
            code="not_counted",
        )
    funded_ids = [row["proposal"] for outcome in counted.values() for row in outcome if row["funded"]]
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if locked.results_published_at is not None:
            return locked
        edition.results_published_at = timezone.now()
        Edition.objects.filter(pk=edition.pk).update(results_published_at=edition.results_published_at)
        existing = set(Implementation.objects.filter(proposal_id__in=funded_ids).values_list("proposal_id", flat=True))
        Implementation.objects.bulk_create([Implementation(proposal_id=pk) for pk in funded_ids if pk not in existing])
        record(
            actor=actor,
            action="budgeting.results_published",
            target=edition,
            data={"funded": len(funded_ids)},
        )
        if edition.source != EditionSource.PABULIB:  # only once publishing is committed: a rollback tells no one
            transaction.on_commit(partial(_notify_funded_authors, edition, funded_ids))
    return edition


def _notify_funded_authors(edition: Edition, funded_ids: list[int]) -> None:
    funded = Proposal.objects.filter(pk__in=funded_ids).select_related("author").prefetch_related("co_authors")
    for proposal in funded:
        people = [proposal.author, *proposal.co_authors.all()]
        notify(
            recipients=people,
            kind="budgeting.proposal_funded",
            title=translatable(gettext_lazy("Your project “%(title)s” will be funded"), title=proposal.title),
            body=translatable(
                gettext_lazy("The results of %(edition)s are published. Follow how your project is carried out."),
                edition=str(edition),
            ),
            url=proposal.get_absolute_url(),
        )


def set_ballots_published(*, actor: Any, edition: Edition, published: bool) -> Edition:
    """Publish (or withdraw) the anonymised ballot list. Only after the results are published. Audits changes."""
    require_permission(actor, "budgeting.count_results", edition)
    if published and edition.results_published_at is None:
        raise ValidationError(_("Publish the results before the ballots."), code="results_first")
    if edition.ballots_published == published:
        return edition
    with transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(ballots_published=published)
        edition.ballots_published = published
        record(
            actor=actor,
            action="budgeting.ballots_published" if published else "budgeting.ballots_withdrawn",
            target=edition,
        )
    return edition
