"""The office's voting pages: the voters hub (register counts), the residents' list upload, voting codes (the
generated codes are the answer to the generate POST, as CSV, kept nowhere; revoke) and paper batches typed in sheet by
sheet. Thin views over services/voters.py and services/voting.py."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from veche.budgeting.choices import Eligibility
from veche.budgeting.forms.voters import GenerateCodesForm, PaperBallotForm, PaperBatchForm, ResidentsUploadForm
from veche.budgeting.models import Edition, PaperBatch, Pool, Proposal, ResidentEntry, VotingCode
from veche.budgeting.module import VOTE
from veche.budgeting.services import voters as services
from veche.budgeting.services import voting
from veche.core.ratelimit import limit_writes

CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def get_edition_for_voters(
    request: HttpRequest, edition_id: int, permission: str = "budgeting.manage_voters"
) -> Edition:
    """The edition with its timeline: 404 when the user may not see it, PermissionDenied when they may not act."""
    edition = Edition.objects.with_timeline().filter(pk=edition_id).first()
    if edition is None or not request.user.has_perm("budgeting.view_edition", edition):
        raise Http404
    if not request.user.has_perm(permission, edition):
        raise PermissionDenied
    return edition


def _hub(edition: Edition) -> HttpResponse:
    return redirect("budgeting:voters", edition_id=edition.pk)


def _crumbs(edition: Edition, here: str, *, hub: bool = True) -> list[tuple[Any, str | None]]:
    trail: list[tuple[Any, str | None]] = [
        (_("Budgets"), reverse("budgeting:archive")),
        (str(edition), edition.get_absolute_url()),
    ]
    if hub:
        trail.append((_("Voters"), reverse("budgeting:voters", kwargs={"edition_id": edition.pk})))
    trail.append((here, None))
    return trail


@login_required
def voters(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = get_edition_for_voters(request, edition_id)
    counts = services.register_counts(edition)
    return render(
        request,
        "budgeting/voters.html",
        {
            "edition": edition,
            "crumbs": _crumbs(edition, _("Voters"), hub=False),
            "pools": counts,
            "total": sum(row["total"] for row in counts),
            "residents": ResidentEntry.objects.filter(edition=edition).count()
            if edition.eligibility == Eligibility.RESIDENTS
            else None,
            "codes": VotingCode.objects.filter(edition=edition).count() if edition.allow_voting_codes else None,
            "batches": PaperBatch.objects.filter(edition=edition).count() if edition.allow_paper else None,
            "can_enter_paper": request.user.has_perm("budgeting.enter_paper_ballots", edition),
        },
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def residents_upload(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = get_edition_for_voters(request, edition_id)
    form = ResidentsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.upload_residents(actor=request.user, edition=edition, data=form.cleaned_data["file"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            messages.success(
                request,
                _("The residents' list now has %(residents)s people (%(districts)s with a district).") % counts,
            )
            return _hub(edition)
    return render(
        request,
        "budgeting/voters_residents.html",
        {
            "edition": edition,
            "form": form,
            "crumbs": _crumbs(edition, _("Residents' list")),
            "current": ResidentEntry.objects.filter(edition=edition).count(),
            "districts": Pool.objects.filter(edition=edition, kind="district").order_by("weight", "id"),
        },
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def codes(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = get_edition_for_voters(request, edition_id)
    generating = request.POST.get("action") == "generate"
    form = GenerateCodesForm(
        request.POST if generating else None,
        request.FILES if generating else None,
        for_residents=edition.eligibility == Eligibility.RESIDENTS,
    )
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            batch = request.POST.get("batch", "")
            revoked = services.revoke_codes(actor=request.user, edition=edition, batch=batch)
            messages.success(request, _("%(count)s codes of “%(batch)s” revoked.") % {"count": revoked, "batch": batch})
            return redirect("budgeting:codes", edition_id=edition.pk)
        if form.is_valid():
            label = form.cleaned_data["batch"]
            try:
                if form.cleaned_data.get("residents"):
                    pairs = services.generate_resident_codes(
                        actor=request.user, edition=edition, batch=label, data=form.cleaned_data["residents"]
                    )
                    rows = [["batch", "identifier", "code"], *([label, who, code] for who, code in pairs)]
                else:
                    new = services.generate_codes(
                        actor=request.user, edition=edition, count=form.cleaned_data["count"], batch=label
                    )
                    rows = [["batch", "code"], *([label, code] for code in new)]
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return _codes_csv(edition, label, rows)
    return render(
        request,
        "budgeting/voters_codes.html",
        {
            "edition": edition,
            "form": form,
            "crumbs": _crumbs(edition, _("Voting codes")),
            "batches": services.code_batches(edition),
        },
    )


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection): text starting with = + - @ (or a tab or a
    carriage return) gets a leading apostrophe."""
    text = str(value)
    return f"'{text}" if text.startswith(CSV_FORMULA_START) else text


def _codes_csv(edition: Edition, label: str, rows: list[list[str]]) -> HttpResponse:
    """The codes just generated, as the answer to the generate POST itself: they are stored nowhere (not in the
    session either), so this download is the only copy."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"voting-codes-{edition.pk}-{slugify(label) or 'batch'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def paper_batches(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = get_edition_for_voters(request, edition_id)
    can_enter = request.user.has_perm("budgeting.enter_paper_ballots", edition)
    can_open = can_enter and edition.module.allows(VOTE)  # new batches only while voting; sheets until counting
    form = PaperBatchForm(request.POST or None)
    if request.method == "POST":
        if not can_open:
            raise PermissionDenied
        if form.is_valid():
            try:
                batch = services.create_paper_batch(
                    actor=request.user,
                    edition=edition,
                    label=form.cleaned_data["label"],
                    sheets=form.cleaned_data["sheets"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("budgeting:paper_batch", edition_id=edition.pk, batch_id=batch.pk)
    batches = PaperBatch.objects.filter(edition=edition).select_related("entered_by").annotate(entered=Count("ballots"))
    return render(
        request,
        "budgeting/voters_paper_batches.html",
        {
            "edition": edition,
            "form": form if can_open else None,
            "crumbs": _crumbs(edition, _("Paper ballots")),
            "batches": batches,
        },
    )


def _paper_selection(edition: Edition, entries: list[tuple[int, int | None]]) -> tuple[list[int], list[int] | None]:
    """Printed numbers → proposal ids of this edition (unknown numbers become ids no ballot has, so validation names
    them), points when any were given."""
    by_number = dict(Proposal.objects.filter(edition=edition).values_list("number", "id"))
    projects = [by_number.get(number, -number) for number, _points in entries]
    given = [points for _number, points in entries]
    points = None if all(value is None for value in given) else [value or 0 for value in given]
    return projects, points


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def paper_batch(request: HttpRequest, edition_id: int, batch_id: int) -> HttpResponse:
    edition = get_edition_for_voters(request, edition_id, "budgeting.enter_paper_ballots")
    batch = get_object_or_404(PaperBatch, pk=batch_id, edition=edition)
    pools = list(Pool.objects.filter(edition=edition).order_by("weight", "id"))
    action = request.POST.get("action")
    form = PaperBallotForm(request.POST if action == "enter" else None, edition=edition, pools=pools)
    if request.method == "POST" and action == "close":
        try:
            services.close_paper_batch(actor=request.user, batch=batch)
        except PermissionDenied as refusal:
            messages.error(request, str(refusal) or _("This batch is closed."))
        return redirect("budgeting:paper_batches", edition_id=edition.pk)
    if request.method == "POST" and action == "enter" and form.is_valid():
        pool = next(pool for pool in pools if pool.pk == form.cleaned_data["pool"])
        projects, points = _paper_selection(edition, form.cleaned_data["numbers"])
        try:
            voter = voting.paper_voter(
                edition=edition, resident_identifier=form.cleaned_data.get("resident_identifier")
            )
            voting.cast_ballot(
                voter=voter, pool=pool, projects=projects, points=points, actor=request.user, batch=batch
            )
        except voting.NotEligible as refusal:
            form.add_error("resident_identifier", str(refusal))
        except PermissionDenied as refusal:
            messages.error(request, str(refusal) or _("You may not enter this ballot."))
            return redirect("budgeting:paper_batch", edition_id=edition.pk, batch_id=batch.pk)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("numbers", message)
        else:
            entered = batch.ballots.count()
            messages.success(
                request, _("Sheet %(entered)s of %(sheets)s entered.") % {"entered": entered, "sheets": batch.sheets}
            )
            if batch.closed_at is not None:
                messages.success(request, _("All the sheets are in; the batch is closed."))
                return redirect("budgeting:paper_batches", edition_id=edition.pk)
            return redirect("budgeting:paper_batch", edition_id=edition.pk, batch_id=batch.pk)
    return render(
        request,
        "budgeting/voters_paper_batch.html",
        {
            "edition": edition,
            "batch": batch,
            "entered": batch.ballots.count(),
            "form": form,
            "crumbs": _crumbs(edition, batch.label),
            "papers_url": reverse("budgeting:paper_batches", kwargs={"edition_id": edition.pk}),
        },
    )
