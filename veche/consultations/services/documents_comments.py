"""Residents' voices on a document: a comment on a paragraph, a proposed new wording, a reply, and support for
someone else's contribution. Texts are plain text (shown escaped, line breaks kept), never HTML."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from veche.consultations.choices import ContributionKind, ContributionStatus, ParticipationMode
from veche.consultations.importing import html_to_text
from veche.consultations.models import Contribution, OneTimeCode, Paragraph, Participant, Support
from veche.consultations.module import COMMENT

MAX_TEXT = 5000
MAX_WORDING = 10000
MAX_NAME = 80
TOKEN_SECONDS = 24 * 3600

CLOSED_MESSAGE = _("This consultation is not taking comments now, so nothing was saved.")


def normalise(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def fingerprint(*, participant_id: int, kind: str, paragraph_id: int | None, parent_id: int | None, text: str,
                proposed_text: str = "") -> str:  # fmt: skip
    """Hash of who wrote what where: the same words by the same person on the same paragraph (or in the same thread)
    are one contribution, however often they are sent."""
    key = "\x1f".join(
        [
            str(participant_id),
            kind,
            str(paragraph_id or ""),
            str(parent_id or ""),
            normalise(text),
            normalise(proposed_text),
        ]
    )
    return hashlib.sha256(key.encode()).hexdigest()


def is_verified(participant: Participant) -> bool:
    """Signed in, or verified an email address, or used a one-time code (one query for the last)."""
    if participant.user_id is not None or participant.email_verified_at is not None:
        return True
    return OneTimeCode.objects.filter(participant=participant).exists()


def check_can_take_part(*, actor: Any, participant: Participant | None, consultation: Any) -> Participant:
    """The participant, if actor may speak through them in consultation now; else ValidationError (closed) or
    PermissionDenied (not signed in or not verified)."""
    if not consultation.module.allows(COMMENT):
        raise ValidationError(CLOSED_MESSAGE, code="closed")
    if not actor.has_perm("consultations.comment_consultation", consultation):
        raise PermissionDenied
    if participant is None or participant.consultation_id != consultation.pk:
        raise PermissionDenied
    if getattr(actor, "is_authenticated", False):
        if participant.user_id != actor.pk:
            raise PermissionDenied
    elif (
        participant.user_id is not None
        or consultation.participation_mode == ParticipationMode.SIGNED_IN
        or not is_verified(participant)
    ):
        raise PermissionDenied
    return participant


@dataclass(frozen=True)
class Posted:
    contribution: Contribution
    created: bool
    same_submission: bool = False  # the very form sent again (a double click): say nothing about a duplicate


def _token_key(participant_id: int, token: str) -> str:
    return f"consultations:submission:{participant_id}:{hashlib.sha256(token.encode()).hexdigest()[:32]}"


def post_contribution(
    *,
    actor: Any,
    participant: Participant | None,
    consultation: Any,
    text: str,
    paragraph: Paragraph | None = None,
    parent: Contribution | None = None,
    proposed_text: str = "",
    display_name: str | None = None,
    token: str = "",
) -> Posted:
    """Save a comment on paragraph, a proposed wording (proposed_text differing from the paragraph), or a reply to
    parent (a reply to a reply joins the parent's thread).

    Preconditions checked here: the consultation takes comments now (ValidationError "closed"), actor may speak
    through participant (PermissionDenied). Locks the participant row, so two identical submissions (a double click,
    two tabs) store one contribution: the second gets the first back (created False). token, the form's own
    idempotency token, tells a resubmitted form (same_submission) from the same words written again.
    Notifies the author of the parent on commit.
    """
    participant = check_can_take_part(actor=actor, participant=participant, consultation=consultation)
    text = (text or "").strip()
    proposed_text = (proposed_text or "").strip()
    errors: dict[str, Any] = {}
    if parent is not None:
        if parent.consultation_id != consultation.pk or parent.status != ContributionStatus.PUBLISHED:
            raise ValidationError(_("You can only reply to a published contribution."), code="bad_parent")
        if parent.parent_id is not None:
            parent = Contribution.objects.get(pk=parent.parent_id)
        paragraph = parent.paragraph
        kind = ContributionKind.REPLY
        proposed_text = ""
    elif paragraph is not None:
        if paragraph.document.consultation_id != consultation.pk:
            raise ValidationError(_("Choose a paragraph of this consultation's document."), code="bad_paragraph")
        same_as_now = normalise(proposed_text) == normalise(html_to_text(paragraph.text))
        kind = ContributionKind.WORDING if proposed_text and not same_as_now else ContributionKind.COMMENT
        if same_as_now:
            proposed_text = ""
        if len(proposed_text) > MAX_WORDING:
            errors["proposed_text"] = _("The wording is too long (at most %(limit)s characters).") % {
                "limit": MAX_WORDING
            }
    else:
        raise ValidationError(_("Say what you are commenting on."), code="no_target")
    if not text:
        errors["text"] = (
            _("Say why you propose this wording.") if kind == ContributionKind.WORDING else _("Write your comment.")
        )
    elif len(text) > MAX_TEXT:
        errors["text"] = _("Your text is too long (at most %(limit)s characters).") % {"limit": MAX_TEXT}
    if display_name is not None and len(display_name.strip()) > MAX_NAME:
        errors["display_name"] = _("The name is too long (at most %(limit)s characters).") % {"limit": MAX_NAME}
    if errors:
        raise ValidationError(errors)

    print_ = fingerprint(
        participant_id=participant.pk,
        kind=kind,
        paragraph_id=paragraph.pk if paragraph and parent is None else None,
        parent_id=parent.pk if parent else None,
        text=text,
        proposed_text=proposed_text,
    )
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        existing = Contribution.objects.filter(consultation=consultation, fingerprint=print_).first()
        if existing is not None:
            same = bool(token) and cache.get(_token_key(locked.pk, token)) == existing.pk
            return Posted(existing, created=False, same_submission=same)
        if display_name is not None and display_name.strip() != locked.display_name:
            locked.display_name = display_name.strip()
            locked.save(update_fields=["display_name"])
            participant.display_name = locked.display_name
        contribution = Contribution.objects.create(
            consultation=consultation,
            kind=kind,
            participant=locked,
            paragraph=paragraph,
            parent=parent,
            text=text,
            proposed_text=proposed_text,
            fingerprint=print_,
        )
        if token:  # a rolled-back row leaves a key naming no contribution: harmless
            cache.set(_token_key(locked.pk, token), contribution.pk, TOKEN_SECONDS)
        if parent is not None and parent.participant_id != locked.pk:
            from veche.consultations.services.documents_notifications import notify_contribution_author

            transaction.on_commit(lambda: notify_contribution_author(parent, "reply"))
    return Posted(contribution, created=True)


def set_support(*, actor: Any, participant: Participant | None, contribution: Contribution, supported: bool) -> bool:
    """Support (or stop supporting) someone else's published comment or wording; returns whether the participant
    supports it now. One support per participant and contribution: the unique constraint decides."""
    consultation = contribution.consultation
    participant = check_can_take_part(actor=actor, participant=participant, consultation=consultation)
    if contribution.participant_id == participant.pk:
        raise ValidationError(_("You cannot support your own contribution."), code="own")
    if contribution.status != ContributionStatus.PUBLISHED:
        raise ValidationError(_("This contribution was hidden by the moderator."), code="hidden")
    if contribution.kind not in (ContributionKind.COMMENT, ContributionKind.WORDING):
        raise ValidationError(_("Only comments and proposed wordings can be supported."), code="kind")
    if not supported:
        Support.objects.filter(contribution=contribution, participant=participant).delete()
        return False
    try:
        with transaction.atomic():
            Support.objects.create(contribution=contribution, participant=participant)
    except IntegrityError:
        pass  # already supported: the same result
    return True
