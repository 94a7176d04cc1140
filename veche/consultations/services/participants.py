"""Who is taking part: the participant row of a signed-in person, or of an anonymous person who verified an email
address or used a one-time code in this browser (remembered in the session, per consultation)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from veche.consultations.models import Participant

SESSION_KEY = "consultations.participants"


def participant_for_user(*, user: Any, consultation: Any) -> Participant:
    """The signed-in user's participant row in consultation, created on first contribution.

    Safe when two requests race: the unique (consultation, user) constraint decides, the loser reads the winner's row.
    """
    existing = Participant.objects.filter(consultation=consultation, user=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Participant.objects.create(consultation=consultation, user=user)
    except IntegrityError:
        return Participant.objects.get(consultation=consultation, user=user)


def remember_participant(request: Any, participant: Participant) -> None:
    """Remember an anonymous participant (verified by email or code) for this consultation in this browser."""
    known = dict(request.session.get(SESSION_KEY, {}))
    known[str(participant.consultation_id)] = participant.pk
    request.session[SESSION_KEY] = known


def forget_participants(request: Any) -> None:
    request.session.pop(SESSION_KEY, None)


def current_participant(request: Any, consultation: Any) -> Participant | None:
    """The participant this request speaks for in consultation, or None (one query at most).

    A signed-in person is their account's participant; otherwise the one remembered in the session, if any.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Participant.objects.filter(consultation=consultation, user=user).select_related("user").first()
    participant_id = request.session.get(SESSION_KEY, {}).get(str(consultation.pk))
    if participant_id is None:
        return None
    return Participant.objects.filter(pk=participant_id, consultation=consultation).first()
