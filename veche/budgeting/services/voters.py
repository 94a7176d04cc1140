"""The office's side of voting: the residents' list, voting codes and paper batches. Every function checks the
actor's permission, runs in one transaction and writes the audit log — never with a voter's identity or a code."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from veche.audit.services import record
from veche.budgeting.choices import Eligibility, PoolKind, VoteChannel
from veche.budgeting.models import Edition, PaperBatch, Pool, ResidentEntry, VoterRecord, VotingCode
from veche.budgeting.module import VOTE
from veche.budgeting.services.voting import CODE_LENGTH, code_hasher, random_code, resident_hasher
from veche.core.permissions import require_permission

MAX_CODES = 100_000
MAX_ERRORS_SHOWN = 20
CODE_GROUP = 4


def _organisation(edition: Edition) -> int:
    return edition.module.process.organisation_id


# The residents' list -------------------------------------------------------------------------------------------------


def _rows(data: bytes | str) -> list[list[str]]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def upload_residents(*, actor: Any, edition: Edition, data: bytes | str) -> dict[str, int]:
    """Replace the edition's residents' list with the identifiers in data (CSV: one identifier per line, optionally
    a second column naming the resident's district pool; an optional header line "identifier[,district]").

    Only salted hashes are stored. All or nothing: ValidationError listing each bad line with its number (up to
    MAX_ERRORS_SHOWN) and nothing changed. Returns {"residents": n, "districts": n with a district}. Audits the
    counts. Raises PermissionDenied unless actor may manage the edition's voters.
    """
    require_permission(actor, "budgeting.manage_voters", edition)
    try:
        rows = _rows(data)
    except (UnicodeDecodeError, csv.Error) as error:
        raise ValidationError(
            _("The file could not be read as UTF-8 CSV text (%(problem)s).") % {"problem": error}, code="unreadable"
        ) from error
    districts = {
        pool.name.casefold(): pool
        for pool in Pool.objects.filter(edition=edition, kind=PoolKind.DISTRICT).order_by("weight", "id")
    }
    digest = resident_hasher(edition)
    entries: list[tuple[str, int | None]] = []
    seen: dict[str, int] = {}
    errors: list[str] = []
    for line, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if line == 1 and cells[0].casefold() in ("identifier", "id", "identifikátor", "identyfikator"):
            continue
        if len(cells) > 2:
            errors.append(_("Line %(line)s: expected an identifier and at most a district.") % {"line": line})
            continue
        identifier = cells[0]
        hashed = digest(identifier)
        if not any(ch.isalnum() for ch in identifier):
            errors.append(_("Line %(line)s: the identifier is empty.") % {"line": line})
            continue
        if hashed in seen:
            errors.append(
                _("Line %(line)s: the same identifier as on line %(first)s.") % {"line": line, "first": seen[hashed]}
            )
            continue
        seen[hashed] = line
        district = None
        if len(cells) == 2 and cells[1]:
            district = districts.get(cells[1].casefold())
            if district is None:
                errors.append(
                    _("Line %(line)s: there is no district pool called “%(name)s”.")
                    % {"line": line, "name": cells[1][:80]}
                )
                continue
        entries.append((hashed, district.pk if district else None))
    _refuse_bad_lines(errors)
    if not entries:
        raise ValidationError(_("The file has no identifiers."), code="empty")
    with transaction.atomic():
        replaced = ResidentEntry.objects.filter(edition=edition).delete()[0]
        _insert_residents(edition, entries)
        counts = {"residents": len(entries), "districts": sum(1 for _hash, district in entries if district)}
        record(
            actor=actor,
            action="budgeting.residents_uploaded",
            target=edition,
            organisation=_organisation(edition),
            data={**counts, "replaced": replaced},
        )
    return counts


def _insert_residents(edition: Edition, entries: list[tuple[str, int | None]]) -> None:
    """Insert the hashes fast, without model instances: COPY on PostgreSQL, one executemany elsewhere."""
    table = ResidentEntry._meta.db_table
    columns = "edition_id, identifier_hash, district_id"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for hashed, district in entries:
                    copy.write_row((edition.pk, hashed, district))
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s)",  # noqa: S608 - our own table and columns
                [(edition.pk, hashed, district) for hashed, district in entries],
            )


# Voting codes --------------------------------------------------------------------------------------------------------


def generate_codes(*, actor: Any, edition: Edition, count: int, batch: str) -> list[str]:
    """Make count one-time voting codes labelled batch and return them in plain text — the only time they exist in
    plain text (only their hashes are stored). Audits the batch and count, never a code."""
    require_permission(actor, "budgeting.manage_voters", edition)
    if not edition.allow_voting_codes:
        raise ValidationError(_("Switch voting codes on in the edition's settings first."), code="no_codes")
    if not 1 <= count <= MAX_CODES:
        raise ValidationError(_("Generate between 1 and %(limit)s codes at a time.") % {"limit": MAX_CODES})
    batch = batch.strip()
    digest = code_hasher(edition)
    codes: dict[str, str] = {}
    while len(codes) < count:
        bare = random_code(CODE_LENGTH)
        codes.setdefault(digest(bare), "-".join(bare[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP)))
    with transaction.atomic():
        VotingCode.objects.bulk_create(
            [VotingCode(edition=edition, code_hash=hashed, batch=batch) for hashed in codes], batch_size=5000
        )
        record(
            actor=actor,
            action="budgeting.codes_generated",
            target=edition,
            organisation=_organisation(edition),
            data={"batch": batch, "count": count},
        )
    return list(codes.values())


def generate_resident_codes(*, actor: Any, edition: Edition, batch: str, data: bytes | str) -> list[tuple[str, str]]:
    """Draw one voting code for each resident in data (CSV like the residents' list: the identifier first, other
    columns ignored; an optional header line "identifier"). Each identifier must be on the edition's list; the code
    votes as that resident ("r:<hash>"), so the same person cannot vote once with an account and again with the
    letter. Returns (identifier as given, code) pairs in the file's order — the only time the codes exist in plain
    text. All or nothing: ValidationError listing the bad lines. Audits the batch and count, never a code."""
    require_permission(actor, "budgeting.manage_voters", edition)
    if not edition.allow_voting_codes:
        raise ValidationError(_("Switch voting codes on in the edition's settings first."), code="no_codes")
    if edition.eligibility != Eligibility.RESIDENTS:
        raise ValidationError(
            _("Codes for residents need the residents' list as the edition's eligibility."), code="no_list"
        )
    try:
        rows = _rows(data)
    except (UnicodeDecodeError, csv.Error) as error:
        raise ValidationError(
            _("The file could not be read as UTF-8 CSV text (%(problem)s).") % {"problem": error}, code="unreadable"
        ) from error
    hash_of = resident_hasher(edition)
    on_list = set(ResidentEntry.objects.filter(edition=edition).values_list("identifier_hash", flat=True))
    wanted: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    errors: list[str] = []
    for line, row in enumerate(rows, start=1):
        identifier = row[0].strip() if row else ""
        if not identifier or (line == 1 and identifier.casefold() in ("identifier", "id", "identifikátor")):
            continue
        hashed = hash_of(identifier)
        if hashed not in on_list:
            errors.append(_("Line %(line)s: this identifier is not on the residents' list.") % {"line": line})
        elif hashed in seen:
            errors.append(
                _("Line %(line)s: the same identifier as on line %(first)s.") % {"line": line, "first": seen[hashed]}
            )
        else:
            seen[hashed] = line
            wanted.append((identifier, hashed))
    _refuse_bad_lines(errors)
    if not wanted:
        raise ValidationError(_("The file has no identifiers."), code="empty")
    if len(wanted) > MAX_CODES:
        raise ValidationError(_("Generate between 1 and %(limit)s codes at a time.") % {"limit": MAX_CODES})
    batch = batch.strip()
    digest = code_hasher(edition)
    codes: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    rows_to_insert = []
    for identifier, hashed in wanted:
        while True:
            bare = random_code(CODE_LENGTH)
            code_digest = digest(bare)
            if code_digest not in codes:
                break
        codes[code_digest] = "-".join(bare[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))
        pairs.append((identifier, codes[code_digest]))
        rows_to_insert.append(VotingCode(edition=edition, code_hash=code_digest, batch=batch, resident_hash=hashed))
    with transaction.atomic():
        VotingCode.objects.bulk_create(rows_to_insert, batch_size=5000)
        record(
            actor=actor,
            action="budgeting.codes_generated",
            target=edition,
            organisation=_organisation(edition),
            data={"batch": batch, "count": len(pairs), "for_residents": True},
        )
    return pairs


@dataclass(frozen=True)
class CodeBatch:
    label: str
    total: int
    used: int
    revoked: int

    @property
    def unused(self) -> int:
        return self.total - self.used


def code_batches(edition: Edition) -> list[CodeBatch]:
    """The edition's code batches with counts (one query). A code is used when the register has its voter: "c:<id>",
    or "r:<hash>" for a code drawn for a resident (who may also have voted with an account). Nothing is written on the
    code when it votes, so that no row outside the register and the box shares the ballot's transaction."""
    voter_key = Case(
        When(resident_hash="", then=Concat(Value("c:"), Cast("pk", CharField()))),
        default=Concat(Value("r:"), "resident_hash"),
        output_field=CharField(),
    )
    registered = VoterRecord.objects.filter(edition=edition, voter_key=OuterRef("voter_key"))
    rows = (
        VotingCode.objects.filter(edition=edition)
        .annotate(voter_key=voter_key, used=Exists(registered))
        .values("batch")
        .annotate(
            total=Count("id"),
            used=Count("id", filter=Q(used=True)),
            revoked=Count("id", filter=Q(revoked=True)),
        )
        .order_by("batch")
    )
    return [CodeBatch(row["batch"], row["total"], row["used"], row["revoked"]) for row in rows]


def revoke_codes(*, actor: Any, edition: Edition, batch: str) -> int:
    """Revoke every code of batch (e.g. letters lost in the post): they can no longer be used, ballots already cast
    stay. Returns how many were revoked now. Audits."""
    require_permission(actor, "budgeting.manage_voters", edition)
    with transaction.atomic():
        revoked = VotingCode.objects.filter(edition=edition, batch=batch, revoked=False).update(revoked=True)
        record(
            actor=actor,
            action="budgeting.codes_revoked",
            target=edition,
            organisation=_organisation(edition),
            data={"batch": batch, "count": revoked},
        )
    return revoked


# Paper batches -------------------------------------------------------------------------------------------------------


def create_paper_batch(*, actor: Any, edition: Edition, label: str, sheets: int) -> PaperBatch:
    """Open a batch of sheets paper ballots to type in. Needs budgeting.enter_paper_ballots, the voting phase (sheets
    of a batch still open may be typed in after voting, until counting; new batches only while voting) and paper
    ballots switched on. Audits."""
    require_permission(actor, "budgeting.enter_paper_ballots", edition)
    if not edition.module.allows(VOTE):
        raise ValidationError(
            _("Voting has closed: finish typing in the open batches; no new batch can be opened."), code="closed"
        )
    if not edition.allow_paper:
        raise ValidationError(_("Switch paper ballots on in the edition's settings first."), code="no_paper")
    if sheets < 1:
        raise ValidationError({"sheets": _("A batch has at least one sheet.")})
    with transaction.atomic():
        batch = PaperBatch.objects.create(edition=edition, label=label.strip(), sheets=sheets, entered_by=actor)
        record(
            actor=actor,
            action="budgeting.paper_batch_created",
            target=batch,
            organisation=_organisation(edition),
            data={"label": batch.label, "sheets": sheets},
        )
    return batch


def close_paper_batch(*, actor: Any, batch: PaperBatch) -> PaperBatch:
    """Close a batch before all its sheets are in (e.g. spoilt sheets); records how many were entered. Audits."""
    edition = batch.edition
    require_permission(actor, "budgeting.enter_paper_ballots", edition)
    with transaction.atomic():
        locked = PaperBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.closed_at is not None:
            raise PermissionDenied(_("This batch is closed."))
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at"])
        record(
            actor=actor,
            action="budgeting.paper_batch_closed",
            target=locked,
            organisation=_organisation(edition),
            data={"entered": locked.ballots.count(), "sheets": locked.sheets},
        )
    return locked


def register_counts(edition: Edition) -> list[dict[str, Any]]:
    """Per pool: how many voted through each channel and in all (two queries)."""
    pools = list(Pool.objects.filter(edition=edition).order_by("weight", "id"))
    counts = Counter(
        {
            (row["pool_id"], row["channel"]): row["n"]
            for row in VoterRecord.objects.filter(edition=edition).values("pool_id", "channel").annotate(n=Count("id"))
        }
    )
    return [
        {
            "pool": pool,
            "channels": [(label, counts[(pool.pk, value)]) for value, label in VoteChannel.choices],
            "total": sum(counts[(pool.pk, value)] for value in VoteChannel.values),
        }
        for pool in pools
    ]


def _refuse_bad_lines(errors: list[str]) -> None:
    """Raise one ValidationError listing the first problems of a file (with the line numbers), if there are any."""
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(_("… and %(count)s more problems.") % {"count": len(errors) - MAX_ERRORS_SHOWN})
        raise ValidationError(shown, code="bad_lines")
