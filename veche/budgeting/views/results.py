"""Results pages: the staff count page (count, progress, publish, publish ballots), the public results of a pool,
the anonymised ballot list, the Pabulib download and the Pabulib import. Views fetch and authorise, call a service
and render."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from veche.budgeting import ballot_rules
from veche.budgeting.choices import EditionSource
from veche.budgeting.forms.results import NEW_PROCESS, BallotSearchForm, PabulibImportForm
from veche.budgeting.models import Ballot, Edition, Pool, PoolResult, Proposal
from veche.budgeting.presentation import UTILITY_TEXTS, reason_text, rule_explanation, rule_name
from veche.budgeting.services import pabulib_io
from veche.budgeting.services import results as services
from veche.budgeting.views.editions import get_edition_for_user, url_if_exists
from veche.core.ratelimit import limit_writes
from veche.organisations.lookups import get_organisation_for_permission
from veche.participation.models import Process
from veche.participation.services import create_process

BALLOTS_PAGE_SIZE = 50


def trail(edition: Edition, *pages: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    """Breadcrumbs: the process, the edition, then the given pages."""
    process = edition.module.process
    return [
        (str(process.title), process.get_absolute_url()),
        (str(edition), url_if_exists("budgeting:edition", edition_id=edition.pk)),
        *pages,
    ]


def get_edition_for_counting(request: HttpRequest, edition_id: int) -> Edition:
    edition = get_edition_for_user(request, edition_id)
    if not request.user.has_perm("budgeting.count_results", edition):
        raise PermissionDenied
    return edition


def get_results_for_user(request: HttpRequest, edition_id: int, pool_id: int) -> tuple[Edition, Pool, list[Pool]]:
    """The edition and pool whose results the user may see (published, or staff who count); 404 otherwise."""
    edition = get_edition_for_user(request, edition_id)
    if not request.user.has_perm("budgeting.view_results", edition):
        raise Http404
    pools = list(Pool.objects.filter(edition=edition).select_related("result"))
    pool = next((p for p in pools if p.pk == pool_id), None)
    if pool is None:
        raise Http404
    return edition, pool, pools


def _result_of(pool: Pool) -> PoolResult | None:
    try:
        return pool.result
    except PoolResult.DoesNotExist:
        return None


# --- staff: count and publish ------------------------------------------------------------------------------------


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def count(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = get_edition_for_counting(request, edition_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "count":
                services.start_count(actor=request.user, edition=edition)
                messages.success(request, _("Counting has started. This page shows its progress."))
            elif action == "publish":
                services.publish_results(actor=request.user, edition=edition)
                messages.success(request, _("The results are published."))
            elif action in ("publish_ballots", "withdraw_ballots"):
                services.set_ballots_published(
                    actor=request.user, edition=edition, published=action == "publish_ballots"
                )
                messages.success(
                    request,
                    _("The anonymised ballots are published.")
                    if action == "publish_ballots"
                    else _("The anonymised ballots are no longer published."),
                )
            else:
                raise Http404
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("budgeting:count", edition_id=edition.pk)
    pools = list(Pool.objects.filter(edition=edition).select_related("result"))
    rows = []
    for pool in pools:
        result = _result_of(pool)
        rows.append(
            {
                "pool": pool,
                "result": result,
                "funded": sum(1 for row in result.outcome if row["funded"]) if result else 0,
                "url": reverse("budgeting:results", kwargs={"edition_id": edition.pk, "pool_id": pool.pk}),
            }
        )
    progress = services.count_progress(edition)
    counted = bool(pools) and all(row["result"] for row in rows)
    return render(
        request,
        "budgeting/count.html",
        {
            "edition": edition,
            "rows": rows,
            "progress": progress,
            "running": bool(progress and progress.get("state") in ("queued", "running")),
            "counted": counted,
            "may_publish": counted and services.may_publish_now(edition) and edition.results_published_at is None,
            "trail": trail(edition, (_("Counting"), None)),
        },
    )


# --- public results ----------------------------------------------------------------------------------------------


def _difference(funded: list[str], other: list[str], names: dict[str, str]) -> dict[str, list[str]]:
    mine, theirs = set(funded), set(other)
    return {
        "added": [names.get(pid, pid) for pid in other if pid not in mine],
        "dropped": [names.get(pid, pid) for pid in funded if pid not in theirs],
    }


def _percent(value: float) -> str:
    return f"{value * 100:.1f}"


def _projects(result: PoolResult, proposals: dict[int, Proposal]) -> list[dict[str, Any]]:
    rows = []
    for row in result.outcome:
        proposal = proposals.get(row["proposal"])
        if proposal is None:
            continue
        rows.append(
            {
                **row,
                "proposal": proposal,
                "reason_text": reason_text(row["reason"]),
                "score_value": Decimal(row["score"]),
            }
        )
    rows.sort(key=lambda r: (r["position"] is None, r["position"] or 0, -r["score_value"], r["proposal"].number))
    return rows


def _geojson(rows: list[dict[str, Any]]) -> dict[str, Any]:
    features = []
    for row in rows:
        proposal = row["proposal"]
        if not row["funded"] or not proposal.has_location:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(proposal.longitude), float(proposal.latitude)]},
                "properties": {
                    "title": f"{proposal.number}. {proposal.title}",
                    "url": proposal.get_absolute_url(),
                    "text": _("%(cost)s, %(votes)s votes") % {"cost": row["cost"], "votes": row["votes"]},
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@require_safe
def results(request: HttpRequest, edition_id: int, pool_id: int) -> HttpResponse:
    edition, pool, pools = get_results_for_user(request, edition_id, pool_id)
    result = _result_of(pool)
    can_count = request.user.has_perm("budgeting.count_results", edition)
    if result is None and not can_count:
        raise Http404
    context: dict[str, Any] = {
        "edition": edition,
        "pool": pool,
        "pools": pools,
        "result": result,
        "can_count": can_count,
        "published": edition.results_published_at is not None,
        "imported": edition.source == EditionSource.PABULIB,
        "trail": trail(edition, (_("Results: %(pool)s") % {"pool": pool.name}, None)),
        "pool_tabs": [
            (p.name, reverse("budgeting:results", kwargs={"edition_id": edition.pk, "pool_id": p.pk}), p.pk == pool.pk)
            for p in pools
        ],
    }
    if result is not None:
        proposals = {
            p.pk: p
            for p in Proposal.objects.filter(pool=pool, pk__in=[row["proposal"] for row in result.outcome])
            .select_related("category")
            .only("pk", "number", "title", "edition_id", "latitude", "longitude", "category__name", "external_id")
        }
        rows = _projects(result, proposals)
        names = {row["project_id"]: f"{row['proposal'].number}. {row['proposal'].title}" for row in rows}
        funded_ids = [
            row["project_id"] for row in sorted((r for r in rows if r["funded"]), key=lambda r: r["position"])
        ]
        top = max((row["score_value"] for row in rows), default=Decimal(0)) or Decimal(1)
        comparison = [
            {
                **row,
                "name": rule_name(row),
                "share": _percent(row["metrics"]["share_with_funded"]),
                "gini": f"{row['metrics']['gini']:.3f}",
                "satisfaction": f"{row['metrics']['average_satisfaction']:.2f}",
                "difference": _difference(funded_ids, row["funded"], names),
            }
            for row in result.comparison
        ]
        metrics = result.metrics
        context.update(
            rows=rows,
            funded=[row for row in rows if row["funded"]],
            chart=[{**row, "max": top} for row in sorted(rows, key=lambda r: -r["score_value"])],
            comparison=comparison,
            rule_name=rule_name(result.spec),
            rule_paragraphs=rule_explanation(result.spec),
            share_with_funded=_percent(metrics.get("share_with_funded", 0)),
            satisfaction=f"{metrics.get('average_satisfaction', 0):.2f}",
            gini=f"{metrics.get('gini', 0):.3f}",
            utility_text=UTILITY_TEXTS.get(metrics.get("utility", "cost"), ""),
            map_data=_geojson(rows),
            official=result.official_check,
            official_missing=[names.get(pid, pid) for pid in (result.official_check or {}).get("missing", [])],
            official_extra=[names.get(pid, pid) for pid in (result.official_check or {}).get("extra", [])],
            download_url=reverse("budgeting:pabulib", kwargs={"edition_id": edition.pk, "pool_id": pool.pk}),
            ballots_url=reverse("budgeting:ballots", kwargs={"edition_id": edition.pk, "pool_id": pool.pk})
            if edition.ballots_published
            else None,
        )
    return render(request, "budgeting/results.html", context)


# --- anonymised ballots --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])  # the receipt search is POSTed: receipts stay out of access logs
def ballots(request: HttpRequest, edition_id: int, pool_id: int) -> HttpResponse:
    edition, pool, _pools = get_results_for_user(request, edition_id, pool_id)
    if not edition.ballots_published:
        raise Http404
    numbers = dict(Proposal.objects.filter(pool=pool).values_list("pk", "number"))
    form = BallotSearchForm(request.POST or None)
    queryset = Ballot.objects.filter(pool=pool).order_by("receipt").only("receipt", "projects", "points")
    searched = ""
    if form.is_valid() and form.cleaned_data["receipt"].strip():
        bare = ballot_rules.normalise_code(form.cleaned_data["receipt"])
        searched = ballot_rules.group_code(bare, 5) if len(bare) == 10 else form.cleaned_data["receipt"].strip()
        queryset = queryset.filter(receipt=searched)
    page = Paginator(queryset, BALLOTS_PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [
        {
            "receipt": ballot.receipt,
            "choices": [
                {"number": numbers.get(pk, "?"), "points": ballot.points[i] if ballot.points else None}
                for i, pk in enumerate(ballot.projects)
            ],
        }
        for ballot in page.object_list
    ]
    return render(
        request,
        "budgeting/ballots.html",
        {
            "edition": edition,
            "pool": pool,
            "page_obj": page,
            "entries": entries,
            "form": form,
            "searched": searched,
            "trail": trail(
                edition,
                (
                    _("Results: %(pool)s") % {"pool": pool.name},
                    reverse("budgeting:results", args=[edition.pk, pool.pk]),
                ),
                (_("Ballots"), None),
            ),
        },
    )


# --- Pabulib ---------------------------------------------------------------------------------------------------------


@require_safe
def pabulib_download(request: HttpRequest, edition_id: int, pool_id: int) -> HttpResponse:
    """The pool as a .pb file: for counted pools whose results the user may see. The votes are included only once
    the results are published (staff previewing unpublished results get the file without votes)."""
    edition, pool, _pools = get_results_for_user(request, edition_id, pool_id)
    if _result_of(pool) is None:
        raise Http404
    text = pabulib_io.export_pabulib(pool, with_votes=edition.results_published_at is not None)
    name = slugify(f"{edition}-{pool.name}") or f"pool-{pool.pk}"
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.pb"'
    return response


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def pabulib_import(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = get_organisation_for_permission(request, org_slug, "participation.add_process")
    processes = [
        (process.pk, str(process.title))
        for process in Process.objects.filter(organisation=organisation).order_by("-pk")
        if request.user.has_perm("participation.change_process", process)
    ]
    job = request.GET.get("job", "")
    state = pabulib_io.import_job(job) if job else None
    if state is not None and state.get("actor") != request.user.pk:
        state = None
    if state and state.get("state") == "done":
        edition = Edition.objects.filter(pk=state["edition"]).first()
        if edition is not None:
            messages.success(request, _("The file is imported. Count it to see the results."))
            return redirect("budgeting:count", edition_id=edition.pk)
    form = PabulibImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        processes=processes,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["process"] == NEW_PROCESS:
                process = create_process(
                    actor=request.user, organisation=organisation, title={get_language(): data["new_process_title"]}
                )
            else:
                process = get_object_or_404(Process, pk=int(data["process"]), organisation=organisation)
            job = pabulib_io.start_import(
                actor=request.user, process=process, data=data["file"].read(), title=data["title"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(f"{reverse('budgeting:import', args=[organisation.slug])}?job={job}")
    return render(
        request,
        "budgeting/import.html",
        {"form": form, "organisation": organisation, "job": job if state else "", "state": state},
    )
