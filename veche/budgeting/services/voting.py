"""Who may vote, and casting a ballot — the one way a ballot gets into the box (online, with a code, or on paper).

The register (VoterRecord) and the ballot box (Ballot) are written in one transaction; the register's unique
constraints (one ballot per voter and pool, one district pool per voter) are what stops a second ballot — there is no
check-then-insert, so two submissions at the same moment still give exactly one ballot. Under a secret ballot the
ballot carries no voter key, no channel, no timestamp and a random id; individual ballots are never audited (the audit
log would otherwise link who to when to what). Staff actions (paper batches) are audited without voter identity, per
batch, never per sheet. Nothing else is written in the cast's transaction (a voting code is not marked used: the
register says so), and once voting has closed `seal_ballot_box` re-writes a secret ballot box in receipt order in one
transaction, so that neither the rows' transaction ids nor their physical order pair a ballot with its register entry.

Voter keys: "u:<user id>" for accounts, "r:<hash>" for residents on the list (so one resident cannot vote twice through
two accounts; a voting code drawn for a resident on the list votes under the resident's key too), "c:<voting code
id>" for voting codes, "p:<uuid>" for anonymous paper ballots.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from veche.audit.services import record
from veche.budgeting import ballot_rules
from veche.budgeting.choices import EditionSource, Eligibility, PoolKind, ProposalStatus, VoteChannel
from veche.budgeting.models import Ballot, Edition, PaperBatch, Pool, Proposal, ResidentEntry, VoterRecord, VotingCode
from veche.budgeting.module import VOTE
from veche.core.permissions import require_permission

RECEIPT_LENGTH = 10  # 50 bits from Crockford's alphabet, shown as XXXXX-XXXXX
CODE_LENGTH = 12  # voting codes: 60 bits, shown as XXXX-XXXX-XXXX


@dataclass(frozen=True)
class Voter:
    """Who is voting, as the register knows them. `code_id` is the voting code the voter typed, if any (checked again
    when the ballot is cast: a code revoked meanwhile no longer votes)."""

    key: str
    channel: str
    code_id: int | None = field(default=None, compare=False)  # the same voter whichever code they typed


@dataclass(frozen=True)
class PoolChoice:
    """A pool this voter may vote in, and whether they already have."""

    pool: Pool
    has_voted: bool
    may_vote: bool


class NotEligible(PermissionDenied):
    """PermissionDenied with a reason a page can act on: sign_in, verify_email, birth_date_needed, too_young,
    identifier_needed, not_on_list. str(error) is the message for the person."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


# Hashing of identifiers and codes ------------------------------------------------------------------------------------


def normalise_identifier(text: str) -> str:
    """A resident identifier as typed → the form that is hashed: no spaces, dashes, slashes or dots, upper case
    (a Czech birth number "855101/1234" and "8551011234" are the same)."""
    return "".join(ch for ch in str(text).upper() if ch.isalnum())


def _hasher(edition: Edition, purpose: str) -> Callable[[str], str]:
    """HMAC-SHA256 keyed by the edition's salt and a key derived from SECRET_KEY (as django's salted_hmac derives it):
    a leaked database alone does not let anyone test guesses. Rotating SECRET_KEY invalidates uploaded lists and
    codes (upload and generate again). The key is derived once, so hashing a 50,000-line list stays fast."""
    key_salt = f"veche.budgeting.{purpose}:{edition.residents_salt}"
    key = hashlib.sha256((key_salt + settings.SECRET_KEY).encode()).digest()

    def digest(value: str) -> str:
        return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()

    return digest


def resident_hasher(edition: Edition) -> Callable[[str], str]:
    """identifier as typed → the hash stored in ResidentEntry.identifier_hash."""
    digest = _hasher(edition, "resident")
    return lambda identifier: digest(normalise_identifier(identifier))


def resident_hash(edition: Edition, identifier: str) -> str:
    return resident_hasher(edition)(identifier)


def code_hasher(edition: Edition) -> Callable[[str], str]:
    digest = _hasher(edition, "code")
    return lambda code: digest(ballot_rules.normalise_code(code))


def code_hash(edition: Edition, code: str) -> str:
    return code_hasher(edition)(code)


def random_code(length: int) -> str:
    return "".join(secrets.choice(ballot_rules.RECEIPT_ALPHABET) for _index in range(length))


def format_receipt(text: str) -> str:
    return ballot_rules.group_code(ballot_rules.normalise_code(text), 5)


# Eligibility ---------------------------------------------------------------------------------------------------------


def _age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _has_verified_email(user: Any) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def voter_for_user(
    *, user: Any, edition: Edition, resident_identifier: str | None = None, birth_date: date | None = None
) -> Voter:
    """The register's voter for a signed-in person under the edition's eligibility.

    Raises NotEligible (a PermissionDenied) with a message and a reason: not signed in; email not verified (accounts
    and minimum age); no or too recent a birth date (minimum age — the date is checked, never stored); identifier
    missing or not on the residents' list (only its salted hash is compared). Does not check the phase.
    """
    if not getattr(user, "is_authenticated", False):
        raise NotEligible(_("Sign in to vote."), "sign_in")
    if edition.eligibility == Eligibility.RESIDENTS:
        if not (resident_identifier or "").strip():
            raise NotEligible(_("Type in your identifier from the residents' list to vote."), "identifier_needed")
        digest = resident_hash(edition, resident_identifier or "")
        if not ResidentEntry.objects.filter(edition=edition, identifier_hash=digest).exists():
            raise NotEligible(
                _(
                    "This identifier is not on the residents' list for this budget. Check it for typing errors, "
                    "or ask the office whether you are on the list."
                ),
                "not_on_list",
            )
        return Voter(key=f"r:{digest}", channel=VoteChannel.ONLINE)
    if not _has_verified_email(user):
        raise NotEligible(_("Confirm your email address before you vote."), "verify_email")
    if edition.eligibility == Eligibility.MINIMUM_AGE and edition.minimum_age:
        if birth_date is None:
            raise NotEligible(
                _("Tell us your date of birth: this budget has a minimum voting age."), "birth_date_needed"
            )
        if _age_on(birth_date, timezone.localdate()) < edition.minimum_age:
            raise NotEligible(
                _("Only people aged at least %(age)s on the voting day may vote in this budget.")
                % {"age": edition.minimum_age},
                "too_young",
            )
    return Voter(key=f"u:{user.pk}", channel=VoteChannel.ONLINE)


def voter_for_code(*, edition: Edition, code: str) -> Voter:
    """The register's voter for a one-time voting code (no account needed). ValidationError for codes that are
    unknown (code="unknown_code"), revoked ("revoked_code"), drawn for a resident no longer on the list
    ("not_on_list"), or when the edition takes no codes ("no_codes"). A code drawn for a resident votes as that
    resident ("r:<hash>"), so that the same person cannot vote again with an account or another code."""
    if not edition.allow_voting_codes:
        raise ValidationError(_("This budget does not use voting codes."), code="no_codes")
    bare = ballot_rules.normalise_code(code)
    found = VotingCode.objects.filter(edition=edition, code_hash=code_hash(edition, bare)).first() if bare else None
    if found is None:
        raise ValidationError(
            _("This voting code is not valid for this budget. Check it for typing errors."), code="unknown_code"
        )
    if found.revoked:
        raise ValidationError(
            _("This voting code has been withdrawn. Ask the office for a new one."), code="revoked_code"
        )
    if found.resident_hash:
        if not ResidentEntry.objects.filter(edition=edition, identifier_hash=found.resident_hash).exists():
            raise ValidationError(
                _("This voting code belongs to someone who is no longer on the residents' list. Ask the office."),
                code="not_on_list",
            )
        return Voter(key=f"r:{found.resident_hash}", channel=VoteChannel.CODE, code_id=found.pk)
    return Voter(key=f"c:{found.pk}", channel=VoteChannel.CODE, code_id=found.pk)


def _check_still_eligible(edition: Edition, voter: Voter) -> None:
    """Casting trusts no credential kept in a session: the code must still be valid (not revoked) and the resident
    still on the list (it may have been uploaded again). Plain reads — the code's row is never locked or written."""
    code_id = voter.code_id
    if code_id is None and voter.key.startswith("c:") and voter.key[2:].isdigit():
        code_id = int(voter.key[2:])
    if code_id is not None and not VotingCode.objects.filter(pk=code_id, edition=edition, revoked=False).exists():
        raise NotEligible(_("This voting code has been withdrawn. Ask the office for a new one."), "revoked_code")
    if voter.key.startswith("r:") and not (
        ResidentEntry.objects.filter(edition=edition, identifier_hash=voter.key[2:]).exists()
    ):
        raise NotEligible(
            _("You are no longer on the residents' list for this budget. Ask the office whether you are on the list."),
            "not_on_list",
        )


def _resident_district(edition: Edition, voter: Voter) -> int | None:
    if not voter.key.startswith("r:"):
        return None
    return (
        ResidentEntry.objects.filter(edition=edition, identifier_hash=voter.key[2:])
        .values_list("district_id", flat=True)
        .first()
    )


def pools_for(*, voter: Voter, edition: Edition) -> list[PoolChoice]:
    """The edition's pools in order, with whether this voter has voted in each and may vote in it now: the citywide
    pools always (once), one district pool (the resident's own when the list names one)."""
    voted = dict(VoterRecord.objects.filter(edition=edition, voter_key=voter.key).values_list("pool_id", "pool_kind"))
    voted_district = PoolKind.DISTRICT in voted.values()
    own_district = _resident_district(edition, voter)
    choices = []
    for pool in Pool.objects.filter(edition=edition).order_by("weight", "id"):
        has_voted = pool.pk in voted
        may_vote = not has_voted
        if pool.kind == PoolKind.DISTRICT:
            may_vote = may_vote and not voted_district and own_district in (None, pool.pk)
        choices.append(PoolChoice(pool=pool, has_voted=has_voted, may_vote=may_vote))
    return choices


# Validation ----------------------------------------------------------------------------------------------------------


def _ballot_projects(pool: Pool, projects: Sequence[int]) -> dict[int, tuple[int, Decimal]]:
    """id → (number, cost) of the chosen proposals that are on this pool's ballot (only those are fetched: a ballot
    of 5 in a pool of 300 reads 5 rows; any id missing from the answer is not on the ballot)."""
    wanted = {project for project in projects if isinstance(project, int) and not isinstance(project, bool)}
    rows = Proposal.objects.filter(pool=pool, status=ProposalStatus.ACCEPTED, pk__in=wanted).values_list(
        "id", "number", "cost_estimate", "verified_cost"
    )
    return {pk: (number, verified if verified is not None else estimate) for pk, number, estimate, verified in rows}


def _money(amount: Any, currency: str) -> str:
    value = Decimal(amount)
    places = 0 if value == value.to_integral_value() else 2
    return f"{formats.number_format(value, places, use_l10n=True, force_grouping=True)} {currency}"


def _numbers(ids: Sequence[int], on_ballot: dict[int, tuple[int, Decimal]]) -> str:
    return ", ".join(str(on_ballot[pk][0]) if pk in on_ballot else str(pk) for pk in ids)


def _message(problem: ballot_rules.Problem, edition: Edition, on_ballot: dict[int, tuple[int, Decimal]]) -> str:
    params = problem.params
    code = problem.code
    if code == "empty":
        return _("Choose at least one project.")
    if code == "duplicate":
        return _("You chose project %(numbers)s more than once; choose each project once.") % {
            "numbers": _numbers(params["projects"], on_ballot)
        }
    if code == "unknown_project":
        return ngettext(
            "One of your choices is not on this pool's ballot. Reload the page and choose again.",
            "%(count)s of your choices are not on this pool's ballot. Reload the page and choose again.",
            len(params["projects"]),
        ) % {"count": len(params["projects"])}
    if code == "too_many":
        return ngettext(
            "You chose %(count)s projects, but you may choose at most %(limit)s project.",
            "You chose %(count)s projects, but you may choose at most %(limit)s projects.",
            params["limit"],
        ) % {"count": params["count"], "limit": params["limit"]}
    if code == "over_budget":
        return _(
            "Your choices cost %(total)s, %(excess)s more than this pool's budget of %(budget)s. "
            "Remove a project or choose cheaper ones."
        ) % {
            "total": _money(params["total"], edition.currency),
            "excess": _money(params["excess"], edition.currency),
            "budget": _money(params["budget"], edition.currency),
        }
    if code == "points_not_allowed":
        return _("This ballot does not use points.")
    if code in ("points_missing", "points_mismatch"):
        return _("Give each project you choose a number of points.")
    if code == "points_not_positive":
        return _("Give each chosen project at least 1 point, in whole numbers (projects %(numbers)s).") % {
            "numbers": _numbers(params["projects"], on_ballot)
        }
    if code == "points_over_total":
        return _("You gave %(total)s points, but you have %(limit)s to share out.") % params
    if code == "points_over_per_project":
        return _("You may give at most %(limit)s points to one project (projects %(numbers)s have more).") % {
            "limit": params["limit"],
            "numbers": _numbers(params["projects"], on_ballot),
        }
    return _("This ballot is not valid.")  # pragma: no cover - every code is handled above


def _spec(edition: Edition, pool: Pool, on_ballot: dict[int, tuple[int, Decimal]]) -> ballot_rules.BallotSpec:
    return ballot_rules.BallotSpec(
        kind=edition.ballot_type,
        budget=pool.budget,
        costs={pk: cost for pk, (_number, cost) in on_ballot.items()},
        max_choices=edition.max_choices,
        points_per_voter=edition.points_per_voter,
        max_points_per_project=edition.max_points_per_project,
    )


def _validate(edition: Edition, pool: Pool, projects: Sequence[int], points: Sequence[int] | None) -> None:
    if pool.edition_id != edition.pk:
        raise ValidationError(_("This pool is not part of this budget."), code="wrong_pool")
    on_ballot = _ballot_projects(pool, projects)
    problems = ballot_rules.check_ballot(_spec(edition, pool, on_ballot), list(projects), points)
    if problems:
        raise ValidationError(
            [ValidationError(_message(problem, edition, on_ballot), code=problem.code) for problem in problems]
        )


def validate_ballot(
    *, edition: Edition, pool: Pool, projects: Sequence[int], points: Sequence[int] | None = None
) -> None:
    """Raise ValidationError (one message per problem, each with the ballot_rules code) unless projects (Proposal ids,
    in preference order for rankings) with points (cumulative ballots) are a valid ballot for pool."""
    _validate(edition, pool, projects, points)


# Casting -------------------------------------------------------------------------------------------------------------


def _edition_of(pool: Pool) -> Edition:
    """The pool's edition with its timeline. A caller that has just loaded it (`Edition.objects.with_timeline()`) may
    hand it over as `pool.edition` and save two queries; otherwise it is read fresh."""
    if Pool._meta.get_field("edition").is_cached(pool):
        edition = pool.edition
        module = edition.module if Edition._meta.get_field("module").is_cached(edition) else None
        if module is not None and "phases" in getattr(module, "_prefetched_objects_cache", {}):
            return edition
    return Edition.objects.with_timeline().get(pk=pool.edition_id)


def cast_ballot(
    *,
    voter: Voter,
    pool: Pool,
    projects: Sequence[int],
    points: Sequence[int] | None = None,
    actor: Any = None,
    batch: PaperBatch | None = None,
) -> Ballot:
    """Put voter's ballot for pool in the box and voter in the register, in one transaction.

    projects are Proposal ids (in preference order for rankings), points parallel to them (cumulative ballots).
    Raises PermissionDenied when the edition's phase does not allow voting now (paper ballots: unless actor may enter
    them — also after voting, until counting — and batch is open and not full), when the ballot box is sealed, and
    NotEligible (a PermissionDenied) when the voting code was revoked or the resident is no longer on the list since
    the voter was let in; ValidationError with code "already_voted" when the register
    already has voter in pool, "one_district_only" when they voted in another district pool, "wrong_district" when a
    resident's list entry names another district; ValidationError per rule break otherwise. Relies on the unique
    constraints, not on a prior check. ballot.receipt is the receipt code. Individual ballots are not audited.
    """
    edition = _edition_of(pool)
    if batch is not None or voter.channel == VoteChannel.PAPER:
        _check_paper(edition=edition, actor=actor, batch=batch)
    elif not edition.module.allows(VOTE):
        raise PermissionDenied(_("Voting is closed."))
    if edition.ballots_sealed_at is not None:
        raise PermissionDenied(_("The ballot box is sealed: counting has begun."))
    _check_still_eligible(edition, voter)
    if pool.kind == PoolKind.DISTRICT and voter.key.startswith("r:"):
        own = _resident_district(edition, voter)
        if own is not None and own != pool.pk:
            raise ValidationError(_("You may vote only in your own district's pool."), code="wrong_district")
    _validate(edition, pool, projects, points)
    projects = [int(project) for project in projects]
    points = [int(value) for value in points] if points is not None else None
    today = timezone.localdate()
    secret = edition.secret_ballot
    for _attempt in range(5):
        try:
            with transaction.atomic():
                if batch is not None:
                    _take_sheet(edition=edition, actor=actor, batch=batch)
                VoterRecord.objects.create(
                    edition=edition,
                    pool=pool,
                    pool_kind=pool.kind,
                    voter_key=voter.key,
                    channel=voter.channel,
                    voted_on=today,
                )
                ballot = Ballot.objects.create(
                    pool=pool,
                    receipt=ballot_rules.group_code(random_code(RECEIPT_LENGTH), 5),
                    channel="" if secret else voter.channel,
                    batch=batch,
                    projects=projects,
                    points=points,
                    voter_key="" if secret else voter.key,
                )
            return ballot
        except IntegrityError as error:
            refusal = _register_refusal(edition, pool, voter)
            if refusal is not None:
                raise refusal from error
            # Neither register constraint: the random receipt collided (2**-50 per ballot); try another.
    raise RuntimeError("Could not find a free receipt code.")  # pragma: no cover


def _register_refusal(edition: Edition, pool: Pool, voter: Voter) -> ValidationError | None:
    """Which register constraint refused the ballot, asked after the fact (not before); None when neither did."""
    if VoterRecord.objects.filter(pool=pool, voter_key=voter.key).exists():
        return ValidationError(_("You have already voted in %(pool)s.") % {"pool": pool.name}, code="already_voted")
    in_district = VoterRecord.objects.filter(edition=edition, voter_key=voter.key, pool_kind=PoolKind.DISTRICT)
    if pool.kind != PoolKind.DISTRICT or not in_district.exists():
        return None
    return ValidationError(
        _("You have already voted in another district's pool; you may vote in one district only."),
        code="one_district_only",
    )


def _check_paper(*, edition: Edition, actor: Any, batch: PaperBatch | None) -> None:
    if actor is None or not actor.has_perm("budgeting.enter_paper_ballots", edition):
        raise PermissionDenied(_("You may not enter paper ballots for this budget."))
    if batch is None or batch.edition_id != edition.pk:
        raise PermissionDenied(_("Paper ballots are entered in a batch of this budget."))


def _take_sheet(*, edition: Edition, actor: Any, batch: PaperBatch) -> None:
    """Lock the batch, count this sheet in, close the batch when its last sheet is in. Only the closing is audited
    (with counts): an entry per sheet would give each paper ballot a timestamp and a sequence number."""
    locked = PaperBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.closed_at is not None:
        raise PermissionDenied(_("This batch is closed."))
    entered = Ballot.objects.filter(batch=locked).count() + 1
    if entered > locked.sheets:
        raise PermissionDenied(_("All the sheets of this batch have been entered."))
    organisation = edition.module.process.organisation_id
    if entered == locked.sheets:
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at"])
        batch.closed_at = locked.closed_at
        record(
            actor=actor,
            action="budgeting.paper_batch_closed",
            target=locked,
            organisation=organisation,
            data={"entered": entered, "sheets": locked.sheets},
        )


def paper_voter(*, edition: Edition, resident_identifier: str | None = None) -> Voter:
    """The voter of a paper ballot: the resident from the list when their identifier is typed in (so they cannot also
    vote online), otherwise an anonymous one-off key. NotEligible when the identifier is not on the list."""
    if resident_identifier and resident_identifier.strip():
        digest = resident_hash(edition, resident_identifier)
        if not ResidentEntry.objects.filter(edition=edition, identifier_hash=digest).exists():
            raise NotEligible(_("This identifier is not on the residents' list."), "not_on_list")
        return Voter(key=f"r:{digest}", channel=VoteChannel.PAPER)
    return Voter(key=f"p:{uuid.uuid4().hex}", channel=VoteChannel.PAPER)


def find_ballot(*, edition: Edition, receipt: str) -> Ballot | None:
    """The ballot with this receipt code in edition (typed in any case, with or without the dash), or None. Whether
    the person may see it (ballots published, or their own) is the caller's decision."""
    bare = ballot_rules.normalise_code(receipt)
    if len(bare) != RECEIPT_LENGTH:
        return None
    return (
        Ballot.objects.filter(pool__edition=edition, receipt=ballot_rules.group_code(bare, 5))
        .select_related("pool")
        .first()
    )


# After voting --------------------------------------------------------------------------------------------------------


def check_paper_batches_closed(edition: Edition) -> None:
    """ValidationError (code "open_batches") naming the edition's paper batches still open: they must be closed
    before the ballots are counted or the box sealed."""
    labels = list(PaperBatch.objects.filter(edition=edition, closed_at__isnull=True).values_list("label", flat=True))
    if labels:
        raise ValidationError(
            _("Close the paper batches first: %(batches)s.") % {"batches": ", ".join(sorted(labels))},
            code="open_batches",
        )


SEAL_CHUNK = 900  # ids per DELETE … WHERE id IN (…) (below SQLite's variable limit)


def seal_ballot_box(*, actor: Any, edition: Edition) -> Edition:
    """Re-write every ballot of a secret-ballot edition in one transaction, in receipt order, once voting has closed.

    While voting, each ballot was inserted in the same transaction as its register entry, so on PostgreSQL the two
    rows share a transaction id (xmin) and the ballot table's physical order follows the order of voting. Sealing
    reads all the edition's ballots, deletes them and inserts copies (same ids, receipts and choices) sorted by
    receipt: afterwards every ballot carries the sealing transaction's id and sits in receipt order. The old row
    versions stay on disk until PostgreSQL vacuums them (docs/adr/0011-secret-ballot.md: VACUUM FULL after sealing).

    No-op for open ballots and when already sealed (idempotent); no ballot can be cast after sealing. Raises
    PermissionDenied unless actor may count the results; ValidationError while voting is open or a paper batch is
    open. Audits ("budgeting.ballot_box_sealed", with the number of ballots).
    """
    edition = Edition.objects.with_timeline().get(pk=edition.pk)
    require_permission(actor, "budgeting.count_results", edition)
    if not edition.secret_ballot or edition.ballots_sealed_at is not None:
        return edition
    if edition.source != EditionSource.PABULIB and edition.module.allows(VOTE):
        raise ValidationError(
            _("Voting is still open: the ballot box is sealed once voting has closed."), code="voting_open"
        )
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if locked.ballots_sealed_at is not None:
            return locked
        # Paper sheets are cast under their batch's lock: with every batch locked and closed none can come in now.
        list(PaperBatch.objects.select_for_update().filter(edition=edition).values_list("pk", flat=True))
        check_paper_batches_closed(edition)
        ballots = list(Ballot.objects.filter(pool__edition=edition).order_by("receipt"))
        ids = [ballot.pk for ballot in ballots]
        for start in range(0, len(ids), SEAL_CHUNK):
            Ballot.objects.filter(pk__in=ids[start : start + SEAL_CHUNK]).delete()
        Ballot.objects.bulk_create(
            [
                Ballot(
                    id=ballot.pk,
                    pool_id=ballot.pool_id,
                    receipt=ballot.receipt,
                    channel=ballot.channel,
                    batch_id=ballot.batch_id,
                    projects=ballot.projects,
                    points=ballot.points,
                    voter_key=ballot.voter_key,
                    extra=ballot.extra,
                )
                for ballot in ballots
            ],
            batch_size=2000,
        )
        locked.ballots_sealed_at = timezone.now()
        Edition.objects.filter(pk=edition.pk).update(ballots_sealed_at=locked.ballots_sealed_at)
        edition.ballots_sealed_at = locked.ballots_sealed_at
        record(
            actor=actor,
            action="budgeting.ballot_box_sealed",
            target=edition,
            organisation=edition.module.process.organisation_id,
            data={"ballots": len(ballots)},
        )
    return edition
