"""What becomes of funded projects: the office posts updates (status, progress, text, photo), residents follow."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veche.audit.services import record
from veche.budgeting.choices import ImplementationStatus
from veche.budgeting.models import Implementation, ImplementationUpdate
from veche.core.images import reencode_image
from veche.core.permissions import require_permission
from veche.notifications.services import notify, translatable


def post_update(
    *,
    actor: Any,
    implementation: Implementation,
    status: str,
    progress: int,
    text: str = "",
    cancel_reason: str = "",
    photo: UploadedFile | None = None,
    photo_alt: str = "",
) -> ImplementationUpdate:
    """Add an entry to the project's timeline and set its status and progress (completed means 100 %).

    `implementation` needs proposal__edition__module__process__organisation and the module's phases loaded.
    Raises PermissionDenied unless actor may update implementations now (coordinators, implementation phase);
    ValidationError for a cancellation without a reason, a photo without a description, or a file that is not an
    image (photos are re-encoded). Audits; followers are notified by a task once the update is saved.
    """
    from veche.budgeting.tasks import notify_followers_task

    edition = implementation.proposal.edition
    require_permission(actor, "budgeting.update_implementation", edition)
    if status not in ImplementationStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")}, code="status")
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progress is a percentage from 0 to 100.")}, code="progress")
    cancel_reason = cancel_reason.strip()
    if status == ImplementationStatus.CANCELLED and not cancel_reason:
        raise ValidationError({"cancel_reason": _("Say why the project was cancelled.")}, code="no_reason")
    if photo is not None and not photo_alt.strip():
        raise ValidationError({"photo_alt": _("Describe the photo for people who cannot see it.")}, code="no_alt")
    stored_photo = reencode_image(photo, max_side=1600) if photo is not None else None
    if status == ImplementationStatus.COMPLETED:
        progress = 100
    with transaction.atomic():
        update = ImplementationUpdate(
            implementation=implementation,
            status=status,
            progress=progress,
            text=text.strip(),
            photo_alt=photo_alt.strip() if stored_photo else "",
            created_by=actor,
        )
        if stored_photo is not None:
            update.photo.save(stored_photo.name or "photo.jpg", stored_photo, save=False)
        update.save()
        implementation.status = status
        implementation.progress = progress
        implementation.cancel_reason = cancel_reason if status == ImplementationStatus.CANCELLED else ""
        implementation.save(update_fields=["status", "progress", "cancel_reason", "updated_at"])
        record(
            actor=actor,
            action="budgeting.implementation_updated",
            target=implementation,
            organisation=edition.organisation_id,
            data={"proposal": implementation.proposal_id, "status": status, "progress": progress},
        )
        transaction.on_commit(lambda: notify_followers_task.enqueue(update_id=update.pk))
    return update


def notify_followers(*, update_id: int) -> int:
    """Notify the followers of the update's project (in their languages). Returns how many were notified."""
    update = ImplementationUpdate.objects.select_related("implementation__proposal").get(pk=update_id)
    implementation = update.implementation
    proposal = implementation.proposal
    followers = list(implementation.followers.all())
    status = ImplementationStatus(update.status)
    notify(
        recipients=followers,
        kind="budgeting.implementation_update",
        title=translatable(gettext_lazy("News about “%(title)s”"), title=proposal.title),
        body=translatable(
            gettext_lazy("Status: %(status)s, %(progress)s %% done."), status=status.label, progress=update.progress
        ),
        url=implementation_url(implementation),
    )
    return len(followers)


def implementation_url(implementation: Implementation) -> str:
    from django.urls import reverse

    proposal = implementation.proposal
    return reverse("budgeting:implementation", kwargs={"edition_id": proposal.edition_id, "number": proposal.number})


def set_following(*, user: Any, implementation: Implementation, follow: bool) -> None:
    """Follow (or stop following) a funded project's implementation. Idempotent. Raises PermissionDenied for
    people who may not follow (anonymous visitors, results not published)."""
    require_permission(user, "budgeting.follow_implementation", implementation.proposal.edition)
    if follow:
        implementation.followers.add(user)
    else:
        implementation.followers.remove(user)
