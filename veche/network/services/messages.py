"""Messages to practitioners through the platform: the recipient's address is never shown; reports go to the
moderators of a network the practitioner belongs to."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from veche.audit.services import record
from veche.contributions.services import resolve_reports
from veche.core.permissions import require_permission
from veche.network.access import member_network_ids
from veche.network.models import ContactMessage, PractitionerProfile
from veche.notifications.services import notify, translatable


def moderating_network_id(sender: Any, profile: PractitionerProfile) -> int | None:
    """A network both belong to if there is one (the lowest id, so it is stable), else the recipient's first."""
    theirs = member_network_ids(profile.user)
    shared = theirs & member_network_ids(sender)
    candidates = shared or theirs
    return min(candidates) if candidates else None


def send_message(
    *, sender: Any, profile: PractitionerProfile, subject: str, body: str, share_email: bool = False
) -> ContactMessage:
    """Send a message to the practitioner. They get a notification and an email with the text; the sender's
    address is included only when share_email is set, the practitioner's is never shown.

    Raises PermissionDenied unless the sender may contact the practitioner (signed in, not themselves, a listed
    profile that accepts messages, in a network whose moderators handle reports). The view rate-limits
    (VECHE_CONTACT_RATE). ValidationError for an empty subject or body.
    """
    require_permission(sender, "network.contact_practitioner", profile)
    subject = (subject or "").strip()
    body = (body or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = ValidationError(_("Please fill this in."), code="required")
    if not body:
        errors["body"] = ValidationError(_("Please fill this in."), code="required")
    if errors:
        raise ValidationError(errors)
    network_id = moderating_network_id(sender, profile)
    if network_id is None:  # the rule checked it; membership may have ended since
        raise ValidationError(_("This practitioner cannot receive messages now."), code="no_network")
    with transaction.atomic():
        message = ContactMessage.objects.create(
            sender=sender,
            profile=profile,
            network_id=network_id,
            subject=subject[:150],
            body=body[:5000],
            share_sender_email=share_email,
        )
        notify(
            recipients=[profile.user],
            kind="network.message",
            title=translatable(_("%(sender)s wrote to you: %(subject)s"), sender=sender.public_name, subject=subject),
            body=body[:1000],
            url=reverse("network:message", kwargs={"pk": message.pk}),
        )
    return message


def hide_message(*, actor: Any, message: ContactMessage, reason: str) -> ContactMessage:
    """A moderator of the message's network hides it (the recipient no longer sees the text) and resolves its
    reports. Raises PermissionDenied unless actor moderates that network. Audits."""
    require_permission(actor, "network.moderate_message", message)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why you hide it."), code="required")})
    with transaction.atomic():
        message.is_hidden = True
        message.save(update_fields=["is_hidden"])
        resolve_reports(actor=actor, target=message, note=reason)
        record(
            actor=actor,
            action="network.message_hidden",
            target=message,
            organisation=message.network_id,
            data={"reason": reason},
        )
    return message
