"""Read-only API of participatory budgets: editions, pools, projects on the ballot, published results, published
anonymised ballots, and any counted pool as a Pabulib file. Visibility is the site's: editions of processes the
caller may see; results and ballots only once published (or for the edition's staff)."""

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate

from veche.api.auth import PUBLIC, caller
from veche.api.errors import ApiError, Error
from veche.api.pagination import LimitOffsetPagination
from veche.api.routing import ApiRouter
from veche.api.schemas import Slug, api_url
from veche.budgeting.models import Ballot, Edition, Pool, PoolResult, Proposal
from veche.budgeting.presentation import reason_text, rule_name
from veche.budgeting.services.pabulib_io import export_pabulib

router = ApiRouter(tags=["budgets"])

MAX_ID = 2**31 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]


# --- schemas -----------------------------------------------------------------------------------------------------


class PoolOut(Schema):
    id: int
    name: str
    kind: str = Field(description="citywide or district")
    budget: str = Field(description="Decimal amount in the edition's currency.")
    counted: bool
    results_url: str | None = Field(description="Where the published results are (null until published).")

    @staticmethod
    def resolve_budget(obj: Pool) -> str:
        return str(obj.budget)

    @staticmethod
    def resolve_counted(obj: Pool) -> bool:
        return _result_of(obj) is not None

    @staticmethod
    def resolve_results_url(obj: Pool, context: dict[str, Any]) -> str | None:
        edition = obj.edition
        if edition.results_published_at is None or _result_of(obj) is None:
            return None
        return api_url(context["request"], "budget_results", edition_id=edition.pk, pool_id=obj.pk)


class PhaseOut(Schema):
    key: str
    name: str
    starts_at: datetime | None
    ends_at: datetime | None


class EditionSummary(Schema):
    id: int
    title: str
    organisation: str = Field(description="The organisation's slug.")
    process: str = Field(description="The process's slug.")
    currency: str
    total_budget: str
    source: str = Field(description="veche (run on the site) or pabulib (imported for analysis)")
    ballot_type: str
    counting_rule: str
    current_phase: str | None = Field(description="Key of the phase active now, if any.")
    results_published_at: datetime | None
    ballots_published: bool
    page_url: str
    api_url: str

    @staticmethod
    def resolve_title(obj: Edition) -> str:
        return str(obj)

    @staticmethod
    def resolve_organisation(obj: Edition) -> str:
        return obj.module.process.organisation.slug

    @staticmethod
    def resolve_process(obj: Edition) -> str:
        return obj.module.process.slug

    @staticmethod
    def resolve_total_budget(obj: Edition) -> str:
        return str(obj.total_budget)

    @staticmethod
    def resolve_current_phase(obj: Edition) -> str | None:
        phase = obj.module.current_phase()
        return phase.phase_type if phase else None

    @staticmethod
    def resolve_page_url(obj: Edition, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_api_url(obj: Edition, context: dict[str, Any]) -> str:
        return api_url(context["request"], "budget_edition", edition_id=obj.pk)


class EditionDetail(EditionSummary):
    rules_text: str
    rule: str = Field(description="The counting rule in words.")
    max_choices: int | None
    points_per_voter: int | None
    phases: list[PhaseOut]
    pools: list[PoolOut]
    projects_url: str

    @staticmethod
    def resolve_rule(obj: Edition) -> str:
        spec = obj.rule_spec()
        return rule_name(
            {
                "rule": spec.rule,
                "completion": spec.completion,
                "fill_greedy": spec.fill_greedy,
                "threshold": str(spec.threshold) if spec.threshold is not None else None,
            }
        )

    @staticmethod
    def resolve_phases(obj: Edition) -> list[dict[str, Any]]:
        return [
            {"key": p.phase_type, "name": str(p.name), "starts_at": p.starts_at, "ends_at": p.ends_at}
            for p in obj.module.phases.all()
        ]

    @staticmethod
    def resolve_pools(obj: Edition) -> list[Pool]:
        return list(obj.pools.all())

    @staticmethod
    def resolve_projects_url(obj: Edition, context: dict[str, Any]) -> str:
        return api_url(context["request"], "budget_projects", edition_id=obj.pk)


class ProjectOut(Schema):
    number: int
    project_id: str = Field(description="The id used in counting and in Pabulib files.")
    title: str
    summary: str
    status: str
    pool: int = Field(description="The pool's id.")
    category: str | None
    cost: str = Field(description="The cost on the ballot: the verified cost once set, the estimate before.")
    latitude: float | None
    longitude: float | None
    page_url: str

    @staticmethod
    def resolve_pool(obj: Proposal) -> int:
        return obj.pool_id

    @staticmethod
    def resolve_category(obj: Proposal) -> str | None:
        return obj.category.name if obj.category else None

    @staticmethod
    def resolve_cost(obj: Proposal) -> str:
        return str(obj.cost)

    @staticmethod
    def resolve_latitude(obj: Proposal) -> float | None:
        return float(obj.latitude) if obj.latitude is not None else None

    @staticmethod
    def resolve_longitude(obj: Proposal) -> float | None:
        return float(obj.longitude) if obj.longitude is not None else None

    @staticmethod
    def resolve_page_url(obj: Proposal, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class ResultProject(Schema):
    number: int
    project_id: str
    title: str
    cost: str
    score: str
    votes: int
    funded: bool
    position: int | None = Field(description="Order of funding, 1 first.")
    reason: str = Field(description="Stable code of why the project was or was not funded.")
    reason_text: str


class Figures(Schema):
    utility: str
    voters: int
    share_with_funded: float = Field(description="Share of voters with at least one funded project (0–1).")
    average_satisfaction: float
    gini: float
    budget: str
    spent: str


class ComparisonRow(Schema):
    label: str
    name: str
    current: bool = Field(description="True for the edition's own rule.")
    funded: list[str] = Field(description="Project ids, in the order funded.")
    metrics: Figures


class OfficialCheck(Schema):
    rule: str
    implemented: bool
    rule_spec: str | None
    reproduces: bool | None
    missing: list[str]
    extra: list[str]


class ResultOut(Schema):
    pool: int
    ballots: int
    counted_at: datetime
    rule: str
    rule_label: str
    metrics: Figures
    projects: list[ResultProject]
    comparison: list[ComparisonRow]
    official_check: OfficialCheck | None = Field(description="Imported editions: does veche reproduce the result?")
    pabulib_url: str


class BallotOut(Schema):
    receipt: str
    projects: list[int] = Field(description="Project numbers, in the ballot's order (preference order for rankings).")
    points: list[str] | None = Field(description="Points per listed project (cumulative ballots).")


class EditionFilters(Schema):
    organisation: Slug | None = Field(None, description="Only editions of the organisation with this slug.")


# --- helpers -----------------------------------------------------------------------------------------------------


def _result_of(pool: Pool) -> PoolResult | None:
    try:
        return pool.result
    except PoolResult.DoesNotExist:
        return None


def _editions(request: HttpRequest) -> Any:
    return Edition.objects.visible_to(caller(request)).with_timeline().order_by("-pk")


def _edition_or_404(request: HttpRequest, edition_id: int) -> Edition:
    edition = _editions(request).filter(pk=edition_id).first()
    if edition is None:
        raise ApiError(404, "not_found", _("There is no budget edition with this number."))
    return edition


def _pool_with_results(request: HttpRequest, edition_id: int, pool_id: int) -> tuple[Edition, Pool, PoolResult]:
    """The pool with its counted result, when the caller may see the edition's results; 404 otherwise."""
    edition = _edition_or_404(request, edition_id)
    user = caller(request)
    pool = Pool.objects.filter(edition=edition, pk=pool_id).select_related("result").first()
    result = _result_of(pool) if pool is not None else None
    if pool is None or result is None or not user.has_perm("budgeting.view_results", edition):
        raise ApiError(404, "not_found", _("This pool has no published results."))
    pool.edition = edition
    return edition, pool, result


# --- operations --------------------------------------------------------------------------------------------------


@router.get(
    "/editions",
    auth=PUBLIC,
    response={200: list[EditionSummary]},
    url_name="budget_editions",
    summary="List budget editions",
)
@paginate(LimitOffsetPagination)
def list_editions(request: HttpRequest, filters: Query[EditionFilters]) -> Any:
    """Budget editions of the processes the caller may see, newest first."""
    editions = _editions(request)
    if filters.organisation:
        editions = editions.filter(module__process__organisation__slug=filters.organisation)
    return editions


@router.get(
    "/editions/{edition_id}",
    auth=PUBLIC,
    response={200: EditionDetail, 404: Error},
    url_name="budget_edition",
    summary="One budget edition",
)
def get_edition(request: HttpRequest, edition_id: ObjectId) -> Any:
    """An edition with its phases, pools and counting rule."""
    edition = _edition_or_404(request, edition_id)
    pools = list(Pool.objects.filter(edition=edition).select_related("result"))
    for pool in pools:
        pool.edition = edition
    cache = getattr(edition, "_prefetched_objects_cache", {})
    edition._prefetched_objects_cache = {**cache, "pools": pools}  # type: ignore[attr-defined]
    return edition


@router.get(
    "/editions/{edition_id}/pools",
    auth=PUBLIC,
    response={200: list[PoolOut], 404: Error},
    url_name="budget_pools",
    summary="Pools of an edition",
)
def list_pools(request: HttpRequest, edition_id: ObjectId) -> Any:
    """The edition's pools (citywide and districts) with their budgets."""
    edition = _edition_or_404(request, edition_id)
    pools = list(Pool.objects.filter(edition=edition).select_related("result"))
    for pool in pools:
        pool.edition = edition
    return pools


@router.get(
    "/editions/{edition_id}/projects",
    auth=PUBLIC,
    response={200: list[ProjectOut], 404: Error},
    url_name="budget_projects",
    summary="Public projects of an edition",
)
@paginate(LimitOffsetPagination)
def list_projects(request: HttpRequest, edition_id: ObjectId) -> Any:
    """Proposals that are public (submitted, under review, on the ballot, rejected), by number."""
    edition = _edition_or_404(request, edition_id)
    return Proposal.objects.filter(edition=edition).public().select_related("category").order_by("number")


@router.get(
    "/editions/{edition_id}/pools/{pool_id}/results",
    auth=PUBLIC,
    response={200: ResultOut, 404: Error},
    url_name="budget_results",
    summary="Results of a pool",
)
def get_results(request: HttpRequest, edition_id: ObjectId, pool_id: ObjectId) -> Any:
    """The counted outcome of a pool, once published: every project with its score and why it was or was not
    funded, the headline figures, and the comparison with the other standard rules."""
    edition, pool, result = _pool_with_results(request, edition_id, pool_id)
    titles = dict(Proposal.objects.filter(pool=pool).values_list("pk", "title"))
    return {
        "pool": pool.pk,
        "ballots": result.ballots,
        "counted_at": result.counted_at,
        "rule": rule_name(result.spec),
        "rule_label": result.spec.get("label", ""),
        "metrics": result.metrics,
        "projects": [
            {
                **row,
                "title": titles.get(row["proposal"], ""),
                "reason_text": reason_text(row["reason"]),
            }
            for row in result.outcome
        ],
        "comparison": [{**row, "name": rule_name(row)} for row in result.comparison],
        "official_check": result.official_check,
        "pabulib_url": api_url(request, "budget_pabulib", edition_id=edition.pk, pool_id=pool.pk),
    }


@router.get(
    "/editions/{edition_id}/pools/{pool_id}/ballots",
    auth=PUBLIC,
    response={200: list[BallotOut], 404: Error},
    url_name="budget_ballots",
    summary="Anonymised ballots of a pool",
)
@paginate(LimitOffsetPagination)
def list_ballots(request: HttpRequest, edition_id: ObjectId, pool_id: ObjectId) -> Any:
    """The pool's ballots by receipt code, once the edition publishes them; no voter data."""
    edition, pool, _result = _pool_with_results(request, edition_id, pool_id)
    if not edition.ballots_published:
        raise ApiError(404, "not_found", _("The ballots of this edition are not published."))
    return _BallotList(pool)


class _BallotList:
    """A lazily paginated list of ballots with project numbers instead of proposal ids (one query per page)."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        self.queryset = Ballot.objects.filter(pool=pool).order_by("receipt").only("receipt", "projects", "points")

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        ballots = list(self.queryset[window])
        numbers = dict(Proposal.objects.filter(pool=self.pool).values_list("pk", "number"))
        return [
            {
                "receipt": ballot.receipt,
                "projects": [numbers.get(pk, 0) for pk in ballot.projects],
                "points": [str(p) for p in ballot.points] if ballot.points is not None else None,
            }
            for ballot in ballots
        ]


@router.get(
    "/editions/{edition_id}/pools/{pool_id}/pabulib",
    auth=PUBLIC,
    response={404: Error},
    url_name="budget_pabulib",
    summary="A pool as a Pabulib file",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The pool as a .pb file (votes with anonymised voter ids 1…n in receipt order).",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        }
    },
)
def get_pabulib(request: HttpRequest, edition_id: ObjectId, pool_id: ObjectId) -> HttpResponse:
    """Any counted pool whose results the caller may see, as a Pabulib file."""
    edition, pool, _result = _pool_with_results(request, edition_id, pool_id)
    text = export_pabulib(pool, with_votes=edition.results_published_at is not None)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    name = slugify(f"{edition}-{pool.name}") or f"pool-{pool.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.pb"'
    return response
