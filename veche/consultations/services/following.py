"""Following a consultation and telling its followers what happened: it opened, its report is out.

Follows are veche.contributions' Follow rows (one mechanism for every app). Other parts of the app call
`notify_followers(consultation, kind)`. Publishing the report does not: services/report.py's
`notify_report_published` tells the followers and the participants itself, anonymous ones with a verified address
included, with the link to the evaluation survey.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from veche.consultations.models import Consultation
from veche.contributions import services as contributions
from veche.core.permissions import require_permission
from veche.notifications.services import notify, translatable

OPENED = "opened"
REPORT_PUBLISHED = "report_published"

KINDS = {
    OPENED: (
        gettext_lazy("The consultation “%(subject)s” is open"),
        gettext_lazy("%(organisation)s asks for your views until %(closes)s."),
    ),
    REPORT_PUBLISHED: (
        gettext_lazy("The report of “%(subject)s” is published"),
        gettext_lazy("%(organisation)s answered the contributions and explains its decision."),
    ),
}


def set_following(*, user: Any, consultation: Consultation, following: bool) -> bool:
    """Follow or stop following the consultation; returns whether the user follows it now. Idempotent. Raises
    PermissionDenied for anonymous visitors and for consultations the user may not see."""
    require_permission(user, "consultations.follow_consultation", consultation)
    return contributions.set_following(user=user, target=consultation, following=following)


def is_following(user: Any, consultation: Consultation) -> bool:
    return contributions.is_following(user, consultation)


def followers(consultation: Consultation, *, include_participants: bool = False) -> list[Any]:
    """The active people following the consultation; with include_participants, also the signed-in participants
    who asked to hear about answers and the report (Participant.notify)."""
    people = {user.pk: user for user in contributions.followers_of(consultation)}
    if include_participants:
        from django.contrib.auth import get_user_model

        participants = consultation.participants.filter(notify=True, user__isnull=False).values("user_id")
        for user in get_user_model().objects.filter(pk__in=participants, is_active=True):
            people.setdefault(user.pk, user)
    return list(people.values())


def notify_followers(
    consultation: Consultation,
    kind: str,
    *,
    include_participants: bool = False,
    url: str = "",
    email: bool = True,
) -> int:
    """Notify the consultation's followers (and, with include_participants, its signed-in participants who want
    news) of kind — OPENED or REPORT_PUBLISHED — in each person's language, in the app and by email (queued on
    commit). url defaults to the consultation's page. Returns how many people were notified.

    Call it inside the transaction of the change it announces, or from a task."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}; one of {sorted(KINDS)}")
    consultation = Consultation.objects.select_related("organisation").get(pk=consultation.pk)
    recipients = followers(consultation, include_participants=include_participants)
    if not recipients:
        return 0
    title, body = KINDS[kind]
    closes = timezone.localtime(consultation.closes_at).strftime("%d.%m.%Y %H:%M") if consultation.closes_at else ""
    params = {"subject": consultation.subject, "organisation": consultation.organisation.name, "closes": closes}
    notify(
        recipients=recipients,
        kind=f"consultations.{kind}",
        title=translatable(title, **params),
        body=translatable(body, **params),
        url=url or consultation.get_absolute_url(),
        email=email,
    )
    return len(recipients)


def due_openings(now: Any = None) -> Any:
    """Published consultations that are open now and whose followers have not been told yet."""
    now = now or timezone.now()
    return Consultation.objects.published().filter(
        opens_at__lte=now, closes_at__gt=now, opening_notified_at__isnull=True
    )


def notify_openings(*, now: Any = None) -> list[int]:
    """Tell the followers of every consultation that has opened (and is still open) since the last run; each
    consultation once. Idempotent and safe to run from several machines at once: a consultation is claimed by an
    UPDATE … WHERE opening_notified_at IS NULL, and only the run whose update succeeded notifies. The notifications
    are written in the same transaction as the claim. Returns the ids of the consultations announced."""
    now = now or timezone.now()
    announced = []
    for consultation_id in list(due_openings(now).values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = Consultation.objects.filter(pk=consultation_id, opening_notified_at__isnull=True).update(
                opening_notified_at=now
            )
            if not claimed:
                continue
            notify_followers(Consultation(pk=consultation_id), OPENED)
            announced.append(consultation_id)
    return announced
