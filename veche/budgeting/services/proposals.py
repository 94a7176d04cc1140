"""Proposals residents write: drafts, submission, withdrawal, co-authors, images, support signatures and the public
history of changes.

Every save of a proposal writes a ProposalRevision (number, the fields that changed, a snapshot of the texts, costs
and placement). Numbers are allocated per edition under a lock on the edition row, so concurrent creations never
share one. Whether a submitted proposal is ready for the office's review (enough support signatures) is decided here:
`is_ready_for_review`, `with_signature_count`, `ready_for_review`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veche.budgeting.choices import ProposalStatus
from veche.budgeting.models import (
    Category,
    CostItem,
    Edition,
    Pool,
    Proposal,
    ProposalImage,
    ProposalRevision,
    Signature,
)
from veche.core.permissions import require_permission
from veche.notifications.services import notify, translatable

MAX_IMAGES = 5
MAX_CO_AUTHORS = 10
MAX_TITLE_LENGTH = 200
MAX_SUMMARY_LENGTH = 300
#: The description's limit in characters: long enough for any proposal, short enough to show and compare cheaply.
MAX_DESCRIPTION_LENGTH = 10_000
#: New co-author addresses one person may check per hour: the answer says whether an address has an account here.
CO_AUTHOR_LOOKUPS_PER_HOUR = 10
CO_AUTHOR_LOOKUP_WINDOW = 3600

#: Fields of the snapshot, in the order the history lists changes.
SNAPSHOT_FIELDS = (
    "title",
    "summary",
    "description",
    "pool",
    "category",
    "cost_estimate",
    "cost_items",
    "latitude",
    "longitude",
    "address",
    "images",
    "status",
)
TEXT_FIELDS = ("title", "summary", "description")


@dataclass
class ProposalInput:
    """What an author writes. cost_estimate may be None when cost_items are given: it is then their sum."""

    title: str
    description: str
    pool: Pool
    summary: str = ""
    category: Category | None = None
    cost_estimate: Decimal | None = None
    cost_items: Sequence[tuple[str, Decimal]] = ()
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    address: str = ""
    new_images: Sequence[tuple[File, str]] = field(default_factory=list)
    remove_images: Sequence[int] = ()


class CostMismatchError(ValueError):
    """The estimate differs from the sum of its items."""

    def __init__(self, estimate: Decimal, total: Decimal) -> None:
        super().__init__(f"estimate {estimate} != items {total}")
        self.estimate, self.total = estimate, total


def resolve_estimate(estimate: Decimal | None, amounts: Sequence[Decimal]) -> Decimal | None:
    """The cost estimate given the stated estimate and the line items' amounts (pure).

    Without items the estimate is what was stated (None if nothing). With items it is their sum; a stated estimate
    must then equal that sum (CostMismatchError otherwise). Negative amounts raise ValueError.
    """
    if any(amount < 0 for amount in amounts) or (estimate is not None and estimate < 0):
        raise ValueError("negative amount")
    if not amounts:
        return estimate
    total = sum(amounts, Decimal(0))
    if estimate is not None and estimate != total:
        raise CostMismatchError(estimate, total)
    return total


# --- validation ------------------------------------------------------------------------------------------------
def _problems(edition: Edition, data: ProposalInput, *, existing_images: int = 0) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if not data.title.strip():
        add("title", _("Give the proposal a title."))
    if len(data.title.strip()) > MAX_TITLE_LENGTH:
        add("title", _("Keep the title under %(count)s characters.") % {"count": MAX_TITLE_LENGTH})
    if len(data.summary.strip()) > MAX_SUMMARY_LENGTH:
        add("summary", _("Keep the summary under %(count)s characters.") % {"count": MAX_SUMMARY_LENGTH})
    if not data.description.strip():
        add("description", _("Describe the proposal: what should be done, where and why."))
    elif len(data.description.strip()) > MAX_DESCRIPTION_LENGTH:
        add(
            "description",
            _(
                "The description has %(length)s characters; at most %(count)s are allowed. Shorten it, or link to a "
                "longer document."
            )
            % {"length": len(data.description.strip()), "count": MAX_DESCRIPTION_LENGTH},
        )
    if data.pool.edition_id != edition.pk:
        add("pool", _("Choose one of this edition's pools."))
    if data.category is not None and data.category.edition_id != edition.pk:
        add("category", _("Choose one of this edition's categories."))
    amounts = [amount for _description, amount in data.cost_items]
    try:
        estimate = resolve_estimate(data.cost_estimate, amounts)
    except CostMismatchError as error:
        add(
            "cost_estimate",
            _(
                "The cost items add up to %(total)s but the estimate says %(estimate)s. The estimate is the sum of "
                "the items: correct one of them, or leave the estimate empty to use the sum."
            )
            % {"total": error.total, "estimate": error.estimate},
        )
    except ValueError:
        add("cost_estimate", _("Costs cannot be negative."))
    else:
        if estimate is None:
            add("cost_estimate", _("Give an estimated cost, or list the cost items."))
        elif estimate > data.pool.budget:
            add(
                "cost_estimate",
                _("The pool %(pool)s has %(budget)s %(currency)s in all; a proposal cannot cost more.")
                % {"pool": data.pool.name, "budget": data.pool.budget, "currency": edition.currency},
            )
    if (data.latitude is None) != (data.longitude is None):
        add("latitude", _("Give both the latitude and the longitude, or neither."))
    elif data.latitude is not None and not edition.contains_point(data.latitude, data.longitude):
        add("latitude", _("This point lies outside the municipality. Choose a place within the map's area."))
    if existing_images - len(data.remove_images) + len(data.new_images) > MAX_IMAGES:
        add("images", _("A proposal can have at most %(count)s images.") % {"count": MAX_IMAGES})
    return problems


def _estimate(data: ProposalInput) -> Decimal:
    value = resolve_estimate(data.cost_estimate, [amount for _d, amount in data.cost_items])
    assert value is not None  # noqa: S101 — _problems refused a missing estimate
    return value


# --- revisions -------------------------------------------------------------------------------------------------
def _fixed(value: Any, places: int) -> str:
    """A decimal as text with a fixed number of places, so that "5000" and "5000.00" compare equal."""
    return "" if value is None else f"{Decimal(value):.{places}f}"


def snapshot_of(proposal: Proposal) -> dict[str, Any]:
    """The state the history keeps: texts, costs, placement, image descriptions and status (no personal data)."""
    return {
        "title": proposal.title,
        "summary": proposal.summary,
        "description": proposal.description,
        "pool": proposal.pool.name,
        "category": proposal.category.name if proposal.category is not None else "",
        "cost_estimate": _fixed(proposal.cost_estimate, 2),
        "cost_items": [[item.description, _fixed(item.amount, 2)] for item in proposal.cost_items.all()],
        "latitude": _fixed(proposal.latitude, 6),
        "longitude": _fixed(proposal.longitude, 6),
        "address": proposal.address,
        "images": [image.alt_text for image in proposal.images.all()],
        "status": proposal.status,
    }


def _write_revision(proposal: Proposal, *, actor: Any) -> ProposalRevision | None:
    """Append a revision when the snapshot differs from the last one (the first save lists every field)."""
    if hasattr(proposal, "_prefetched_objects_cache"):
        proposal._prefetched_objects_cache.clear()
    snapshot = snapshot_of(proposal)
    last = proposal.revisions.order_by("-number").first()
    if last is None:
        changed = list(SNAPSHOT_FIELDS)
    else:
        changed = [name for name in SNAPSHOT_FIELDS if last.snapshot.get(name) != snapshot[name]]
        if not changed:
            return None
    return ProposalRevision.objects.create(
        proposal=proposal,
        number=(last.number + 1) if last else 1,
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        changed_fields=changed,
        snapshot=snapshot,
    )


# --- numbers ---------------------------------------------------------------------------------------------------
def _next_number(edition: Edition) -> int:
    """The next free number in the edition. Call inside a transaction: locks the edition row until commit."""
    Edition.objects.select_for_update().filter(pk=edition.pk).first()
    last = Proposal.objects.filter(edition=edition).aggregate(last=models.Max("number"))["last"]
    return (last or 0) + 1


# --- writing ---------------------------------------------------------------------------------------------------
def _apply(proposal: Proposal, data: ProposalInput) -> None:
    proposal.title = data.title.strip()
    proposal.summary = data.summary.strip()
    proposal.description = data.description.strip()
    proposal.pool = data.pool
    proposal.category = data.category
    proposal.cost_estimate = _estimate(data)
    proposal.latitude, proposal.longitude = data.latitude, data.longitude
    proposal.address = data.address.strip()


def _save_children(proposal: Proposal, data: ProposalInput, *, replace_items: bool) -> None:
    if replace_items:
        CostItem.objects.filter(proposal=proposal).delete()
        CostItem.objects.bulk_create(
            CostItem(proposal=proposal, description=description.strip(), amount=amount, weight=index)
            for index, (description, amount) in enumerate(data.cost_items)
        )
    if data.remove_images:
        for image in ProposalImage.objects.filter(proposal=proposal, pk__in=list(data.remove_images)):
            storage, name = image.image.storage, image.image.name
            image.delete()
            if name:  # the file goes only once the row's deletion is committed (a rollback keeps both)
                transaction.on_commit(partial(storage.delete, name))
    if data.new_images:
        last = proposal.images.aggregate(last=models.Max("weight"))["last"]
        start = 0 if last is None else last + 1
        for offset, (upload, alt_text) in enumerate(data.new_images):
            image = ProposalImage(proposal=proposal, alt_text=alt_text.strip(), weight=start + offset)
            image.image.save(upload.name or "image.jpg", upload, save=False)
            image.save()


def create_proposal(
    *, actor: Any, edition: Edition, data: ProposalInput, co_author_emails: Sequence[str] = (), submit: bool = False
) -> Proposal:
    """Create a draft proposal by actor (and submit it at once with submit=True).

    Images in data.new_images must already be re-encoded (veche.core.images.reencode_image). Raises PermissionDenied
    unless actor may add proposals now, ValidationError (by field) for what the author must correct. Allocates the
    number under a lock on the edition. Writes revision 1; notifies co-authors on commit.
    """
    require_permission(actor, "budgeting.add_proposal", edition)
    problems = _problems(edition, data)
    co_authors = _resolve_co_authors(co_author_emails, author=actor, problems=problems)
    if problems:
        raise ValidationError(problems, code="invalid_proposal")
    with transaction.atomic():
        proposal = Proposal(edition=edition, author=actor, status=ProposalStatus.DRAFT)
        _apply(proposal, data)
        proposal.number = _next_number(edition)
        proposal.save()
        _save_children(proposal, data, replace_items=True)
        if co_authors:
            proposal.co_authors.set(co_authors)
            _notify_co_authors(proposal, co_authors, actor=actor)
        if submit:
            _submit(proposal)
        _write_revision(proposal, actor=actor)
    return proposal


def update_proposal(
    *, actor: Any, proposal: Proposal, data: ProposalInput, co_author_emails: Sequence[str] | None = None
) -> Proposal:
    """Save the author's changes. co_author_emails (the whole list; None leaves it) only from the main author.

    Raises PermissionDenied unless actor may change the proposal now (authors, editable status, submission phase or
    needs-changes during review), ValidationError (by field). Writes a revision when something changed; notifies
    co-authors who were added.
    """
    require_permission(actor, "budgeting.change_proposal", proposal)
    edition = proposal.edition
    problems = _problems(edition, data, existing_images=proposal.images.count())
    removable = ProposalImage.objects.filter(proposal=proposal, pk__in=list(data.remove_images))
    if data.remove_images and removable.count() != len(set(data.remove_images)):
        problems.setdefault("images", []).append(_("Some of these images do not belong to this proposal."))
    new_co_authors = None
    if co_author_emails is not None:
        if proposal.author_id != actor.pk:
            raise ValidationError(
                {"co_authors": _("Only the proposal's author can change its co-authors.")}, code="not_author"
            )
        current = {(email or "").lower() for email in proposal.co_authors.values_list("email", flat=True)}
        new_co_authors = _resolve_co_authors(co_author_emails, author=actor, problems=problems, known=current)
    if problems:
        raise ValidationError(problems, code="invalid_proposal")
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        proposal.status = locked.status
        # The office may have changed the status since the proposal was loaded (e.g. taken under review).
        require_permission(actor, "budgeting.change_proposal", proposal)
        old_items = [(item.description, item.amount) for item in proposal.cost_items.all()]
        new_items = [(description.strip(), amount) for description, amount in data.cost_items]
        _apply(proposal, data)
        proposal.save()
        _save_children(proposal, data, replace_items=old_items != new_items)
        if new_co_authors is not None:
            before = set(proposal.co_authors.values_list("pk", flat=True))
            proposal.co_authors.set(new_co_authors)
            added = [person for person in new_co_authors if person.pk not in before]
            if added:
                _notify_co_authors(proposal, added, actor=actor)
        _write_revision(proposal, actor=actor)
    return proposal


def _submit(proposal: Proposal) -> None:
    proposal.status = ProposalStatus.SUBMITTED
    proposal.submitted_at = proposal.submitted_at or timezone.now()
    proposal.save(update_fields=["status", "submitted_at", "updated_at"])


def submit_proposal(*, actor: Any, proposal: Proposal) -> Proposal:
    """Submit a draft (or resubmit a proposal that needed changes) for review: status → submitted.

    When the edition asks for support signatures, the proposal waits in "submitted" until it has enough
    (is_ready_for_review). Raises PermissionDenied unless actor may change it now, ValidationError when its status
    is neither draft nor needs changes. Writes a revision.
    """
    require_permission(actor, "budgeting.change_proposal", proposal)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status not in (ProposalStatus.DRAFT, ProposalStatus.NEEDS_CHANGES):
            raise ValidationError(_("Only a draft or a proposal that needs changes can be submitted."), code="status")
        _submit(proposal)
        _write_revision(proposal, actor=actor)
    return proposal


def withdraw_proposal(*, actor: Any, proposal: Proposal) -> Proposal:
    """The authors withdraw their proposal (any status before the office's final decision). It is no longer shown
    publicly, and cannot be restored. Raises PermissionDenied otherwise. Writes a revision."""
    require_permission(actor, "budgeting.withdraw_proposal", proposal)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        proposal.status = locked.status
        require_permission(actor, "budgeting.withdraw_proposal", proposal)
        proposal.status = ProposalStatus.WITHDRAWN
        proposal.save(update_fields=["status", "updated_at"])
        _write_revision(proposal, actor=actor)
    return proposal


# --- co-authors ------------------------------------------------------------------------------------------------
def _co_author_lookups_allowed(author: Any, emails: Sequence[str]) -> bool:
    """Count the new addresses `author` checks (each once per window); False when that would pass the hourly limit.

    Whether an address has an account here is what the answer reveals, so checking is limited per person rather
    than per request. Addresses already checked in the window do not count again (re-saving a form is free).
    """
    if not emails:
        return True
    key = f"budgeting:co-author-lookups:{author.pk}"
    now = timezone.now().timestamp()
    state = cache.get(key)
    if not state or state["until"] <= now:
        state = {"until": now + CO_AUTHOR_LOOKUP_WINDOW, "seen": []}
    seen = set(state["seen"])
    fresh = {email for email in emails if email not in seen}
    if len(seen) + len(fresh) > CO_AUTHOR_LOOKUPS_PER_HOUR:
        return False
    state["seen"] = sorted(seen | fresh)
    cache.set(key, state, timeout=max(1, int(state["until"] - now)))
    return True


def _resolve_co_authors(
    emails: Sequence[str],
    *,
    author: Any,
    problems: dict[str, list[str]],
    known: set[str] | frozenset[str] = frozenset(),
) -> list[Any]:
    """The accounts behind the co-authors' addresses. `known` are the current co-authors' addresses: looking them
    up again reveals nothing, so they do not count against the hourly limit on lookups."""
    wanted = list(dict.fromkeys(email.strip().lower() for email in emails if email.strip()))
    if not wanted:
        return []
    if len(wanted) > MAX_CO_AUTHORS:
        problems.setdefault("co_authors", []).append(
            _("A proposal can have at most %(count)s co-authors.") % {"count": MAX_CO_AUTHORS}
        )
        return []
    if not _co_author_lookups_allowed(author, [email for email in wanted if email not in known]):
        problems.setdefault("co_authors", []).append(
            _(
                "You have added too many new co-author addresses in the last hour (at most %(count)s). Save without "
                "the new co-authors and add them later."
            )
            % {"count": CO_AUTHOR_LOOKUPS_PER_HOUR}
        )
        return []
    user_model = get_user_model()
    found = {
        (person.email or "").lower(): person
        for person in user_model.objects.filter(email__in=wanted, is_active=True, erased_at__isnull=True)
    }
    # Emails are stored as typed; fall back to a case-insensitive match for the few not found exactly.
    for email in [email for email in wanted if email not in found]:
        person = user_model.objects.filter(email__iexact=email, is_active=True, erased_at__isnull=True).first()
        if person is not None:
            found[email] = person
    unknown = [email for email in wanted if email not in found]
    if unknown:
        problems.setdefault("co_authors", []).append(
            _("No account uses %(emails)s. Co-authors need an account on this site first.")
            % {"emails": ", ".join(unknown)}
        )
    if any(person.pk == author.pk for person in found.values()):
        problems.setdefault("co_authors", []).append(_("You are the author; list only the other people."))
    return [person for person in found.values() if person.pk != author.pk]


def _notify_co_authors(proposal: Proposal, people: Sequence[Any], *, actor: Any) -> None:
    title = translatable(gettext_lazy("You are a co-author of “%(title)s”"), title=proposal.title)
    body = translatable(
        gettext_lazy(
            "%(author)s listed you as a co-author of a proposal in %(edition)s. You can edit it with them, or remove "
            "yourself on the proposal's page."
        ),
        author=actor.public_name,
        edition=str(proposal.edition),
    )
    url = proposal.get_absolute_url()
    transaction.on_commit(
        lambda: notify(recipients=people, kind="budgeting.co_author", title=title, body=body, url=url)
    )


def leave_proposal(*, actor: Any, proposal: Proposal) -> None:
    """A co-author removes themselves from a proposal (ValidationError if they are not one). Writes no revision:
    co-authors are not part of the public history."""
    if not proposal.co_authors.filter(pk=actor.pk).exists():
        raise ValidationError(_("You are not a co-author of this proposal."), code="not_co_author")
    proposal.co_authors.remove(actor)


# --- signatures ------------------------------------------------------------------------------------------------
def sign_proposal(*, actor: Any, proposal: Proposal) -> Signature:
    """Endorse a submitted proposal. Raises PermissionDenied unless actor may sign now (not an author, signing
    phase), ValidationError(code="already_signed") on a second signature (the unique constraint decides)."""
    require_permission(actor, "budgeting.sign_proposal", proposal)
    try:
        with transaction.atomic():
            return Signature.objects.create(proposal=proposal, user=actor)
    except IntegrityError as exc:
        raise ValidationError(_("You have already signed this proposal."), code="already_signed") from exc


def unsign_proposal(*, actor: Any, proposal: Proposal) -> bool:
    """Take back one's signature while signing is open; True when there was one."""
    require_permission(actor, "budgeting.sign_proposal", proposal)
    deleted, _rows = Signature.objects.filter(proposal=proposal, user=actor).delete()
    return bool(deleted)


def is_ready_for_review(proposal: Proposal, signatures: int) -> bool:
    """A submitted proposal goes to the office once it has the support signatures the edition asks for."""
    return proposal.status == ProposalStatus.SUBMITTED and signatures >= proposal.edition.signatures_required


def with_signature_count(queryset: models.QuerySet[Proposal]) -> models.QuerySet[Proposal]:
    """Annotate signature_count (one query for a whole list)."""
    return queryset.annotate(signature_count=models.Count("signatures", distinct=True))


def ready_for_review(queryset: models.QuerySet[Proposal]) -> models.QuerySet[Proposal]:
    """Submitted proposals with at least their edition's required signatures (for the office's queue)."""
    counted = with_signature_count(queryset)
    return counted.filter(status=ProposalStatus.SUBMITTED).filter(
        models.Q(signature_count__gte=models.F("edition__signatures_required"))
    )
