"""Pabulib interoperability: import a `.pb` file into a new edition for analysis, export any pool as a `.pb`.

Import (`import_pabulib`): one budgeting module in the process (source "pabulib"), one pool, one accepted proposal per
project and one ballot per vote — all in one transaction, so a malformed or unusable file leaves nothing behind.

* The pool's `pabulib_meta` is the file's META exactly; the edition's `pabulib_meta` records the file's layout
  (`meta_keys`, `project_columns`, `vote_columns`) so that the export writes the columns in the file's order.
* Proposals: `external_id` = project_id, number 1…n in file order, title from `name`, cost (estimate and verified)
  from `cost`, category from the first entry of a `category` column (Category rows are created), latitude/longitude
  from such columns; every column but project_id and cost is kept verbatim in `extra` (so the export reproduces it).
* Ballots: projects as proposal ids in file order, points for cumulative/scoring votes, the other vote columns in
  `extra`. Imports are secret ballots: voter ids are not kept, every ballot gets a fresh receipt code, and no register
  entries are written (nobody voted on veche; the register only guards live voting).
* The edition's ballot type, limits and counting rule are read from META (`vote_type`, `max_length`,
  `max_sum_points`, `max_points`, `max_sum_cost`, `rule`, `min_project_score_threshold`); the official check compares
  the count with the file's `selected` column.

Export (`export_pabulib`): META (budget, vote_type, rule, currency, num_projects, num_votes, description …; an
imported pool starts from its file's META), PROJECTS with the cost on the ballot (verified when set), and — once the
pool is counted — votes, score and selected; VOTES in receipt order with voter ids 1…n.
"""

from __future__ import annotations

import logging
import math
import secrets
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veche.audit.services import record
from veche.budgeting import ballot_rules, pabulib
from veche.budgeting.choices import (
    BallotType,
    Completion,
    CountingRule,
    EditionSource,
    PoolKind,
    ProposalStatus,
    VoteChannel,
)
from veche.budgeting.models import Ballot, Category, Edition, Pool, PoolResult, Proposal
from veche.budgeting.module import BUDGETING
from veche.budgeting.rules_engine.official import official_spec
from veche.budgeting.services.results import ballot_kind, money_text
from veche.core.permissions import require_permission
from veche.core.translation import language_codes
from veche.participation.models import Process
from veche.participation.services import add_module

BATCH = 5000
RECEIPT_LENGTH = 10
SMALL_INT = 32767
JOB_TIMEOUT = 24 * 3600
CENT = Decimal("0.01")
MAX_MONEY = Decimal("999999999999.99")

logger = logging.getLogger(__name__)

#: Translated messages for the parser's coded problems (pabulib.ERROR_CODES; the English matches the parser's text);
#: other problems are shown in English.
PABULIB_MESSAGES = {
    "missing_section": gettext_lazy("the file ends without a %(section)s section"),
    "missing_header": gettext_lazy("section %(section)s has no header row"),
    "missing_column": gettext_lazy("%(section)s header lacks the column '%(column)s'"),
    "empty_file": gettext_lazy("the file is empty"),
    "meta_first": gettext_lazy("the file must start with the META section"),
    "missing_budget": gettext_lazy("META lacks 'budget'"),
    "bad_budget": gettext_lazy("META budget '%(value)s' is not a non-negative number"),
    "bad_vote_type": gettext_lazy("META vote_type '%(value)s' is not one of %(allowed)s"),
    "bad_cost": gettext_lazy("cost '%(value)s' of project '%(project)s' is not a number"),
    "bad_points": gettext_lazy("points '%(value)s' of voter '%(voter)s' is not a number"),
    "cell_count": gettext_lazy("%(section)s row has %(cells)s cells but the header has %(columns)s"),
    "duplicate_project": gettext_lazy("duplicate project id '%(project)s'"),
    "duplicate_voter": gettext_lazy("duplicate voter id '%(voter)s'"),
    "unknown_project": gettext_lazy("voter '%(voter)s' votes for unknown project '%(project)s'"),
}


def pabulib_problem(error: pabulib.PabulibError) -> str:
    """The parser's problem in the current language when it has a coded message, else its English text."""
    message = PABULIB_MESSAGES.get(error.code or "")
    if message is None:
        return error.problem
    try:
        return str(message) % error.params
    except (KeyError, TypeError, ValueError):
        return error.problem


def _money(value: Fraction, what: str) -> Decimal:
    """A cost or budget as stored (two decimal places), refusing values that would lose precision."""
    amount = Decimal(value.numerator) / Decimal(value.denominator)
    if amount != amount.quantize(CENT) or Fraction(str(amount.quantize(CENT))) != value or amount > MAX_MONEY:
        raise ValidationError(
            _("%(what)s (%(value)s) cannot be stored: at most 12 digits and 2 decimal places."),
            params={"what": what, "value": money_text(value)},
            code="money",
        )
    return amount.quantize(CENT)


def _small_int(text: str | None) -> int | None:
    text = (text or "").strip()
    if text.isdigit() and 0 < int(text) <= SMALL_INT:
        return int(text)
    return None


def _coordinate(text: str | None, limit: int) -> Decimal | None:
    try:
        value = Decimal((text or "").strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) > limit:
        return None
    return value.quantize(Decimal("0.000001"))


def _receipts(count: int) -> list[str]:
    alphabet = ballot_rules.RECEIPT_ALPHABET
    seen: set[str] = set()
    while len(seen) < count:
        seen.add(ballot_rules.group_code("".join(secrets.choice(alphabet) for _i in range(RECEIPT_LENGTH)), 5))
    return list(seen)


def _point(value: Fraction) -> int | str:
    return value.numerator if value.denominator == 1 else pabulib.format_number(value)


def _edition_settings(edition: Edition, instance: pabulib.Instance) -> None:
    meta = instance.meta
    vote_type = instance.vote_type
    if vote_type in ("cumulative", "scoring"):
        edition.ballot_type = BallotType.CUMULATIVE
    elif vote_type == "ordinal":
        edition.ballot_type = BallotType.RANKING
    elif meta.get("max_sum_cost", "").strip():
        edition.ballot_type = BallotType.KNAPSACK
    else:
        edition.ballot_type = BallotType.APPROVAL
    edition.max_choices = 1 if vote_type == "choose-1" else _small_int(meta.get("max_length"))
    edition.points_per_voter = _small_int(meta.get("max_sum_points"))
    edition.max_points_per_project = _small_int(meta.get("max_points"))
    spec = official_spec(meta)
    if spec is not None:
        edition.counting_rule = spec.rule
        if spec.rule == CountingRule.MES:
            edition.completion = spec.completion if spec.completion in Completion.values else Completion.NONE
        if spec.threshold is not None:
            edition.threshold = math.ceil(spec.threshold)
    currency = meta.get("currency", "").strip().upper()
    if len(currency) == 3 and currency.isalpha():
        edition.currency = currency
    edition.secret_ballot = True


def _categories(edition: Edition, instance: pabulib.Instance) -> dict[str, Category]:
    if "category" not in instance.project_columns:
        return {}
    names: list[str] = []
    for project in instance.projects.values():
        for part in project.fields.get("category", "").split(","):
            name = part.strip()[:80]
            if name and name.lower() != "none" and name not in names:
                names.append(name)
    created = Category.objects.bulk_create(
        [Category(edition=edition, name=name, weight=min(index, SMALL_INT)) for index, name in enumerate(names)]
    )
    return {category.name: category for category in created}


def _first_category(project: pabulib.Project, categories: dict[str, Category]) -> Category | None:
    for part in project.fields.get("category", "").split(","):
        found = categories.get(part.strip()[:80])
        if found is not None:
            return found
    return None


def parse_upload(data: bytes | str) -> pabulib.Instance:
    """The parsed file; ValidationError naming the line and the problem when it is malformed."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text."), code="encoding") from None
    try:
        return pabulib.parse(data)
    except pabulib.PabulibError as exc:
        problem = pabulib_problem(exc)
        if exc.line:
            raise ValidationError(
                _("Line %(line)s: %(problem)s"), params={"line": exc.line, "problem": problem}, code="pabulib"
            ) from exc
        raise ValidationError(problem, code="pabulib") from exc


def import_pabulib(*, actor: Any, process: Process, data: bytes | str, title: str) -> Edition:
    """Import a Pabulib file as a new budgeting module of `process` (see the module docstring for the mapping).

    Raises PermissionDenied unless actor may change the process, ValidationError naming the line and the problem
    for a malformed file (or the value that cannot be stored). All or nothing: one transaction. Audits.
    """
    require_permission(actor, "participation.change_process", process)
    instance = parse_upload(data)
    for project_id in instance.projects:
        if len(project_id) > 64:
            raise ValidationError(_("Project id %(id)s is longer than 64 characters."), params={"id": project_id[:70]})
    budget = _money(instance.budget, _("The budget"))
    costs = {pid: _money(p.cost, _("The cost of project %(id)s") % {"id": pid}) for pid, p in instance.projects.items()}
    title = (title or instance.meta.get("description", "") or "Pabulib").strip()[:200]
    meta = instance.meta
    with transaction.atomic():
        module = add_module(
            actor=actor,
            process=process,
            module_type=BUDGETING.key,
            title=dict.fromkeys(language_codes(), title),
        )
        edition = Edition.objects.get(module=module)
        edition.source = EditionSource.PABULIB
        edition.total_budget = budget
        edition.pabulib_meta = {
            "meta_keys": list(meta),
            "project_columns": list(instance.project_columns),
            "vote_columns": list(instance.vote_columns),
        }
        _edition_settings(edition, instance)
        edition.save()
        subunit = meta.get("subunit", "").strip() or meta.get("district", "").strip()
        pool = Pool.objects.create(
            edition=edition,
            name=(subunit or meta.get("unit", "").strip() or title)[:120],
            kind=PoolKind.DISTRICT if subunit else PoolKind.CITYWIDE,
            budget=budget,
            pabulib_meta=dict(meta),
        )
        categories = _categories(edition, instance)
        proposals = [
            Proposal(
                edition=edition,
                pool=pool,
                category=_first_category(project, categories),
                number=number,
                external_id=project.project_id,
                title=(project.name or _("Project %(id)s") % {"id": project.project_id})[:200],
                description=project.fields.get("description", ""),
                cost_estimate=costs[project.project_id],
                verified_cost=costs[project.project_id],
                latitude=_coordinate(project.fields.get("latitude"), 90),
                longitude=_coordinate(project.fields.get("longitude"), 180),
                status=ProposalStatus.ACCEPTED,
                extra=dict(project.fields),
            )
            for number, project in enumerate(instance.projects.values(), start=1)
        ]
        Proposal.objects.bulk_create(proposals, batch_size=BATCH)
        proposal_id = dict(
            Proposal.objects.filter(edition=edition).values_list("external_id", "pk")
        )  # bulk_create sets no pk on every backend
        receipts = _receipts(len(instance.votes))
        rows: list[Ballot] = []
        for vote, receipt in zip(instance.votes.values(), receipts, strict=True):
            rows.append(
                Ballot(
                    pool=pool,
                    receipt=receipt,
                    channel=VoteChannel.PAPER,
                    projects=[proposal_id[p] for p in vote.projects],
                    points=[_point(p) for p in vote.points] if vote.points is not None else None,
                    extra=dict(vote.fields),
                )
            )
            if len(rows) >= BATCH:
                Ballot.objects.bulk_create(rows)
                rows = []
        Ballot.objects.bulk_create(rows)
        record(
            actor=actor,
            action="budgeting.pabulib_imported",
            target=edition,
            organisation=process.organisation_id,
            data={
                "projects": len(proposals),
                "ballots": len(instance.votes),
                "description": meta.get("description", ""),
            },
        )
    return Edition.objects.with_timeline().get(pk=edition.pk)


# --- the upload page's background job --------------------------------------------------------------------------------


def _job_key(job: str) -> str:
    return f"budgeting:pabulib-import:{job}"


def import_job(job: str) -> dict[str, Any] | None:
    """The state of an import started with start_import: {"state": queued|done|failed, "edition", "errors"}."""
    return cache.get(_job_key(job))


def start_import(*, actor: Any, process: Process, data: bytes, title: str) -> str:
    """Store the uploaded file and queue its import (after the current transaction commits). Returns the job id,
    which import_job() reads. The file is deleted once imported or refused."""
    from veche.budgeting.tasks import import_pabulib_task

    require_permission(actor, "participation.change_process", process)
    job = secrets.token_urlsafe(16)
    path = default_storage.save(f"budgeting/imports/{job}.pb", ContentFile(data))
    cache.set(_job_key(job), {"state": "queued", "actor": actor.pk}, JOB_TIMEOUT)
    language = translation.get_language()
    transaction.on_commit(
        lambda: import_pabulib_task.enqueue(
            job=job, actor_id=actor.pk, process_id=process.pk, path=path, title=title, language=language
        )
    )
    return job


def run_import_job(
    *, job: str, actor: Any, process_id: int, path: str, title: str, language: str | None = None
) -> None:
    """Run an import queued by start_import and record how it went for import_job(): "done" with the edition,
    or "failed" with the problems (in `language`, the language of the page that started it). Any error other than
    the file's is recorded as a generic failure, logged and raised again."""
    with translation.override(language or translation.get_language()):
        _run_import_job(job=job, actor=actor, process_id=process_id, path=path, title=title)


def _run_import_job(*, job: str, actor: Any, process_id: int, path: str, title: str) -> None:
    state: dict[str, Any] = {"actor": actor.pk}
    try:
        process = Process.objects.select_related("organisation").get(pk=process_id)
        with default_storage.open(path, "rb") as handle:
            data = handle.read()
        edition = import_pabulib(actor=actor, process=process, data=data, title=title)
    except ValidationError as exc:
        state.update(state="failed", errors=exc.messages)
    except Exception:
        # Anything else is a fault, not the file's: say so (the page stops waiting), log it and let the task fail.
        logger.exception("Pabulib import job %s failed", job)
        state.update(
            state="failed",
            errors=[_("The import failed because of an error on the site. Try again later, or tell the site's team.")],
        )
        cache.set(_job_key(job), state, JOB_TIMEOUT)
        raise
    else:
        state.update(state="done", edition=edition.pk)
    finally:
        default_storage.delete(path)
    cache.set(_job_key(job), state, JOB_TIMEOUT)


# --- export ----------------------------------------------------------------------------------------------------------

RULE_NAMES = {
    CountingRule.GREEDY: "greedy",
    CountingRule.GREEDY_NO_SKIP: "greedy-no-skip",
    CountingRule.GREEDY_THRESHOLD: "greedy-threshold",
    CountingRule.PHRAGMEN: "phragmen",
}


def _rule_name(edition: Edition) -> str:
    if edition.counting_rule != CountingRule.MES:
        return RULE_NAMES.get(CountingRule(edition.counting_rule), edition.counting_rule)
    name = "equalshares"
    if edition.completion == Completion.ADD1:
        name += "/add1"
    elif edition.completion == Completion.ADD1_LAST_FEASIBLE:
        name += "/add1-last-feasible"
    if edition.fill_greedy:
        name += "/fill-greedy"
    return name


def _english(text: Any) -> str:
    with translation.override("en"):
        return str(text())


def _veche_meta(edition: Edition, pool: Pool) -> dict[str, str]:
    organisation = edition.module.process.organisation
    meta = {
        "description": f"{edition} – {pool.name}",
        "country": _english(organisation.get_country_display) if organisation.country else "",
        "unit": str(organisation.name),
    }
    if pool.kind == PoolKind.DISTRICT:
        meta["subunit"] = pool.name
    if edition.max_choices and edition.ballot_type in (BallotType.APPROVAL, BallotType.RANKING):
        meta["max_length"] = str(edition.max_choices)
    if edition.ballot_type == BallotType.KNAPSACK:
        meta["max_sum_cost"] = money_text(Fraction(str(pool.budget)))
    if edition.ballot_type == BallotType.CUMULATIVE:
        if edition.points_per_voter:
            meta["max_sum_points"] = str(edition.points_per_voter)
        if edition.max_points_per_project:
            meta["max_points"] = str(edition.max_points_per_project)
    if edition.counting_rule == CountingRule.GREEDY_THRESHOLD and edition.threshold is not None:
        meta["min_project_score_threshold"] = str(edition.threshold)
    return {key: value for key, value in meta.items() if value}


def export_pabulib(pool: Pool, *, with_votes: bool = True) -> str:
    """The pool as the text of a `.pb` file (see the module docstring). Voter ids are 1…n in receipt order; without
    votes, the VOTES section has its header only (num_votes still says how many ballots there are)."""
    edition = Edition.objects.select_related("module__process__organisation").get(pk=pool.edition_id)
    imported = edition.source == EditionSource.PABULIB
    layout = edition.pabulib_meta if imported else {}
    proposals = list(Proposal.objects.filter(pool=pool, status=ProposalStatus.ACCEPTED).select_related("category"))
    result = PoolResult.objects.filter(pool=pool).first()
    outcome = {row["proposal"]: row for row in result.outcome} if result else {}
    kind = ballot_kind(edition, pool)
    source_meta = {str(k): str(v) for k, v in pool.pabulib_meta.items()} if imported else {}
    order = [key for key in layout.get("meta_keys", []) if key in source_meta] + [
        key for key in source_meta if key not in layout.get("meta_keys", [])
    ]
    meta = {key: source_meta[key] for key in order} if imported else _veche_meta(edition, pool)
    meta["budget"] = money_text(Fraction(str(pool.budget)))
    meta.setdefault("vote_type", kind)
    if not imported:  # an imported file's META is the city's: veche adds no rule or currency it did not state
        meta["rule"] = _rule_name(edition)
        meta["currency"] = edition.currency
    proposal_of = {p.pk: p for p in proposals}
    rows = Ballot.objects.filter(pool=pool).order_by("receipt").values_list("projects", "points", "extra")
    votes: dict[str, pabulib.Vote] = {}
    num_votes = rows.count() if not with_votes else 0
    for number, (chosen, given, extra) in enumerate((rows.iterator(chunk_size=5000) if with_votes else ()), start=1):
        pairs = [(p, g) for p, g in zip(chosen, given or [None] * len(chosen), strict=False) if p in proposal_of]
        voter = str(number)
        votes[voter] = pabulib.Vote(
            voter_id=voter,
            projects=tuple(proposal_of[p].project_id for p, _g in pairs),
            points=tuple(Fraction(str(g)) for _p, g in pairs) if kind in ("cumulative", "scoring") else None,
            fields={str(k): str(v) for k, v in (extra or {}).items()},
        )
    meta.setdefault("num_projects", str(len(proposals)))
    meta.setdefault("num_votes", str(len(votes) or num_votes))
    if not imported:
        meta["num_projects"], meta["num_votes"] = str(len(proposals)), str(len(votes) or num_votes)

    if imported:
        project_columns = list(layout.get("project_columns") or ["project_id", "cost"])
        extra_columns = sorted({key for p in proposals for key in p.extra} - set(project_columns))
        project_columns += extra_columns
    else:
        project_columns = ["project_id", "cost", "name", "category"]
        if any(p.has_location for p in proposals):
            project_columns += ["latitude", "longitude"]
    if outcome:
        for column in ("votes", "score", "selected"):
            if column not in project_columns:
                project_columns.append(column)
    projects: dict[str, pabulib.Project] = {}
    for proposal in sorted(proposals, key=lambda p: p.number):
        fields = {str(k): str(v) for k, v in proposal.extra.items()} if imported else {}
        if not imported:
            fields["name"] = proposal.title
            fields["category"] = proposal.category.name if proposal.category else ""
            if proposal.has_location:
                fields["latitude"], fields["longitude"] = str(proposal.latitude), str(proposal.longitude)
        row = outcome.get(proposal.pk)
        if row is not None:
            fields.setdefault("votes", str(row["votes"]))
            fields.setdefault("score", row["score"])
            fields.setdefault("selected", "1" if row["funded"] else "0")
        projects[proposal.project_id] = pabulib.Project(proposal.project_id, Fraction(str(proposal.cost)), fields)

    vote_columns = ["voter_id", "vote"] + (["points"] if kind in ("cumulative", "scoring") else [])
    if imported:
        vote_columns = list(layout.get("vote_columns") or vote_columns)
        vote_columns += sorted({key for v in votes.values() for key in v.fields} - set(vote_columns))
    instance = pabulib.Instance(meta, projects, votes, tuple(project_columns), tuple(vote_columns))
    return pabulib.write(instance)
