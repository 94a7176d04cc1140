"""Telling people that their contribution got an answer: a reply from another resident, or (called by the report
part) the official response. Respects Participant.notify; signed-in people get an in-app notification (and an email
unless they switched email off), anonymous people with a verified address an email. Everything is sent on commit."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from veche.consultations.documents_links import absolute, contribution_url
from veche.consultations.models import Contribution
from veche.core.mail import send_email_later
from veche.notifications.services import notify, translatable

KINDS = {
    "reply": _("Someone replied to your contribution to “%(consultation)s”"),
    "response": _("Your contribution to “%(consultation)s” has an official response"),
}


def notify_contribution_author(contribution: Contribution, kind: str) -> bool:
    """Tell the author of contribution that it got an answer of kind "reply" or "response"; returns whether anyone
    was told. Nobody is told about contributions without a participant (offline input), or when the participant
    said no (Participant.notify), or has neither an account nor a verified address."""
    if kind not in KINDS:
        raise ValueError(f"Unknown answer kind {kind!r}; use one of {sorted(KINDS)}.")
    contribution = (
        Contribution.objects.select_related("participant__user", "consultation__organisation", "paragraph__document")
        .filter(pk=contribution.pk)
        .first()
    )
    participant = contribution.participant if contribution is not None else None
    if participant is None or not participant.notify:
        return False
    consultation = contribution.consultation
    url = contribution_url(contribution)
    title = translatable(KINDS[kind], consultation=consultation.subject)
    if participant.user is not None:
        if not participant.user.is_active:
            return False
        notify(recipients=[participant.user], kind=f"consultations.{kind}", title=title, url=url)
        return True
    if not participant.email or participant.email_verified_at is None:
        return False
    with translation.override(consultation.language):
        context = {
            "title": str(title),
            "url": absolute(url),
            "consultation": consultation,
            "excerpt": contribution.text[:300],
        }
        body = render_to_string("consultations/documents/email/answer.txt", context)
        send_email_later(subject=str(title), body=body, to=[participant.email])
    return True
