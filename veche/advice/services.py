"""Every change to advice requests: asking, assigning an expert, the thread, declining, closing and rating.

Each service checks the acting user's permission (advice.* in rules.py), runs in one transaction, locks the request
row where two people could act at once (two coordinators assigning, a close racing a message), writes the audit log
(veche.audit) and notifies the people concerned (veche.notifications: in-app at once, email on commit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

from veche.advice import attachments
from veche.advice.choices import AdviceStage, AdviceStatus
from veche.advice.models import AdviceAttachment, AdviceMessage, AdviceRequest
from veche.audit.services import record
from veche.core.permissions import require_permission
from veche.core.sanitize import clean_html
from veche.core.vocabulary import MethodChoices
from veche.notifications.services import notify, translatable
from veche.organisations.choices import RoleKind
from veche.organisations.models import Affiliation, Organisation, Role

ACTION_LABELS = {
    "advice.requested": _("Advice requested"),
    "advice.expert_assigned": _("Expert assigned to an advice request"),
    "advice.declined": _("Advice request declined"),
    "advice.closed": _("Advice request closed"),
    "advice.rated": _("Advice rated"),
    "advice.message_hidden": _("Message in an advice thread hidden"),
}


def render_text(text: str) -> str:
    """Paragraphs and line breaks from plain text, the small formatting allow-list kept, everything else removed."""
    return clean_html(linebreaks(text.strip()))


def _lock(request: AdviceRequest) -> AdviceRequest:
    """The request row, locked until the transaction ends, with what the rules read."""
    return AdviceRequest.objects.select_for_update(of=("self",)).select_related("network").get(pk=request.pk)


def _refresh(target: AdviceRequest, source: AdviceRequest) -> None:
    """Copy the locked, changed row's fields onto the caller's object, so that it sees the new state."""
    for field in AdviceRequest._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def network_coordinators(network: Any) -> list[Any]:
    user_model = get_user_model()
    ids = Role.objects.filter(organisation=network, kind__in=[RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR]).values(
        "user_id"
    )
    return list(user_model.objects.filter(pk__in=ids, is_active=True))


def requester_people(request: AdviceRequest) -> list[Any]:
    """Who hears about the request on the asking side: the person who asked, or else the organisation's
    coordinators and administrators."""
    if request.requested_by_id and request.requested_by.is_active:
        return [request.requested_by]
    if request.requester_organisation_id:
        return network_coordinators(request.requester_organisation)
    return []


# --- Asking ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestInput:
    title: str
    stage: str
    description: str
    preferred_language: str
    method: str = ""
    wanted_from: dt.date | None = None
    deadline: dt.date | None = None
    region: str = ""


def organisations_acting_for(user: Any, network: Organisation) -> list[Organisation]:
    """Member organisations of the network in which the user may ask (administrator or coordinator there)."""
    if not getattr(user, "is_authenticated", False):
        return []
    acting = Role.objects.filter(user=user, kind__in=[RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR]).values(
        "organisation_id"
    )
    members = Affiliation.objects.filter(network=network, left_on__isnull=True).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=acting).filter(pk__in=members).order_by("name"))


def _validate_input(data: RequestInput, *, today: dt.date) -> None:
    from veche.network.choices import LanguageChoices

    errors: dict[str, ValidationError] = {}
    if not data.title.strip():
        errors["title"] = ValidationError(_("Give the request a short subject."), code="title_needed")
    if len(data.description.strip()) < 20:
        errors["description"] = ValidationError(
            _("Describe what you need in a few sentences (at least 20 characters)."), code="description_short"
        )
    if data.stage not in AdviceStage.values:
        errors["stage"] = ValidationError(_("Choose what you need help with."), code="invalid_stage")
    if data.method and data.method not in MethodChoices.values:
        errors["method"] = ValidationError(_("Choose a method from the list."), code="invalid_method")
    if data.preferred_language not in LanguageChoices.values:
        errors["preferred_language"] = ValidationError(_("Choose a language from the list."), code="invalid_language")
    if data.deadline is not None and data.deadline < today:
        errors["deadline"] = ValidationError(_("The date has passed; choose a later one."), code="deadline_past")
    if data.wanted_from and data.deadline and data.wanted_from > data.deadline:
        errors["wanted_from"] = ValidationError(
            _("The advice cannot start after the date you need it by."), code="dates_reversed"
        )
    if errors:
        raise ValidationError(errors)


def submit_request(
    *, actor: Any, network: Organisation, organisation: Organisation | None, data: RequestInput
) -> AdviceRequest:
    """Ask the network for advice, for a member organisation (the actor administers or coordinates it) or, with
    organisation=None, as an individual member.

    Raises PermissionDenied unless the actor belongs to the network (advice.add_request) and may act for the
    organisation, ValidationError for invalid input. Audits; notifies the network's coordinators.
    """
    require_permission(actor, "advice.add_request", network)
    if organisation is not None and organisation not in organisations_acting_for(actor, network):
        raise PermissionDenied
    _validate_input(data, today=timezone.localdate())
    now = timezone.now()
    with transaction.atomic():
        request = AdviceRequest.objects.create(
            network=network,
            requester_organisation=organisation,
            requested_by=actor,
            title=data.title.strip(),
            stage=data.stage,
            method=data.method,
            description=data.description.strip(),
            description_html=render_text(data.description),
            preferred_language=data.preferred_language,
            country=organisation.country if organisation else "",
            region=(data.region.strip() or (organisation.region if organisation else ""))[:120],
            wanted_from=data.wanted_from,
            deadline=data.deadline,
            last_activity_at=now,
        )
        record(
            actor=actor,
            action="advice.requested",
            target=request,
            organisation=network,
            data={"requester_organisation": organisation.pk if organisation else None, "stage": data.stage},
        )
        notify(
            recipients=[person for person in network_coordinators(network) if person.pk != actor.pk],
            kind="advice.requested",
            title=translatable(_("New advice request: %(title)s"), title=request.title),
            body=translatable(_("%(requester)s asks the network for advice."), requester=request.requester_name),
            url=request.get_absolute_url(),
        )
    return request


# --- Assigning ------------------------------------------------------------------------------------------------------


def assign_expert(
    *, actor: Any, request: AdviceRequest, expert: Any, expected_expert_id: int | None, note: str = ""
) -> AdviceRequest:
    """Assign (or re-assign) the request to an expert from the practitioners' database.

    expected_expert_id is the expert the coordinator saw when choosing (None for a new request): if another
    coordinator assigned someone meanwhile, ValidationError(code="assigned_meanwhile") and nothing changes. Locks the
    request row, so two coordinators assigning at the same moment are served one after the other. Raises
    PermissionDenied unless the actor coordinates the network and the request is open; ValidationError when the
    expert is not eligible (veche.advice.experts). Audits; notifies the expert (and the one replaced) and the
    requester.
    """
    from veche.advice import experts

    with transaction.atomic():
        locked = _lock(request)
        require_permission(actor, "advice.assign_expert", locked)
        if locked.expert_id != expected_expert_id:
            raise ValidationError(
                _("Another coordinator changed the expert meanwhile; look at the request again."),
                code="assigned_meanwhile",
            )
        if expert is None or expert.pk == locked.expert_id:
            raise ValidationError({"expert": ValidationError(_("Choose another expert."), code="same_expert")})
        if not experts.is_eligible(locked, expert):
            raise ValidationError(
                {
                    "expert": ValidationError(
                        _("This person does not offer advice in this network's database."), code="not_eligible"
                    )
                }
            )
        previous_id = locked.expert_id
        now = timezone.now()
        locked.expert = expert
        locked.assigned_by = actor
        locked.assigned_at = now
        locked.status = AdviceStatus.ASSIGNED
        locked.last_activity_at = now
        locked.save(update_fields=["expert", "assigned_by", "assigned_at", "status", "last_activity_at", "updated_at"])
        record(
            actor=actor,
            action="advice.expert_assigned",
            target=locked,
            organisation=locked.network_id,
            data={"expert": expert.pk, "previous_expert": previous_id},
        )
        url = locked.get_absolute_url()
        notify(
            recipients=[expert],
            kind="advice.assigned",
            title=translatable(_("You were asked to advise: %(title)s"), title=locked.title),
            body=note.strip()
            or translatable(_("%(requester)s asked the network for advice."), requester=locked.requester_name),
            url=url,
        )
        if previous_id:
            previous = get_user_model().objects.filter(pk=previous_id).first()
            notify(
                recipients=[previous] if previous else [],
                kind="advice.unassigned",
                title=translatable(_("Another expert now advises on: %(title)s"), title=locked.title),
                url="",
                email=False,
            )
        notify(
            recipients=requester_people(locked),
            kind="advice.expert_assigned",
            title=translatable(_("An expert will advise you on: %(title)s"), title=locked.title),
            body=translatable(_("%(expert)s will answer in the request's thread."), expert=expert.public_name),
            url=url,
        )
    _refresh(request, locked)
    request.expert = expert
    return request


def decline_request(*, actor: Any, request: AdviceRequest, reason: str) -> AdviceRequest:
    """Decline a request the network cannot take on (new or assigned, not yet worked on), with a reason the
    requester reads. Locks the row. Audits; notifies the requester (and the assigned expert)."""
    if not reason.strip():
        raise ValidationError(
            {"reason": ValidationError(_("Tell the requester why the network cannot help."), code="reason_needed")}
        )
    with transaction.atomic():
        locked = _lock(request)
        require_permission(actor, "advice.decline_request", locked)
        now = timezone.now()
        expert_id = locked.expert_id
        locked.status = AdviceStatus.DECLINED
        locked.decline_reason = reason.strip()
        locked.closed_by = actor
        locked.closed_at = now
        locked.last_activity_at = now
        locked.save(
            update_fields=["status", "decline_reason", "closed_by", "closed_at", "last_activity_at", "updated_at"]
        )
        record(actor=actor, action="advice.declined", target=locked, organisation=locked.network_id)
        recipients = requester_people(locked)
        if expert_id:
            recipients += list(get_user_model().objects.filter(pk=expert_id))
        notify(
            recipients=recipients,
            kind="advice.declined",
            title=translatable(_("The network declined the advice request: %(title)s"), title=locked.title),
            body=locked.decline_reason,
            url=locked.get_absolute_url(),
        )
    _refresh(request, locked)
    return request


# --- The thread -----------------------------------------------------------------------------------------------------


def post_message(*, actor: Any, request: AdviceRequest, body: str, files: Iterable[UploadedFile] = ()) -> AdviceMessage:
    """Write in the request's thread, with attachments checked by veche.advice.attachments.

    Raises PermissionDenied unless the actor takes part (requester side, assigned expert, coordinators) and the
    request is open; ValidationError for an empty message or a refused file. The assigned expert's first message
    moves the request to "in progress". Locks the request row (a message never lands in a request closed at the same
    moment). Notifies the other participants.
    """
    text = body.strip()
    if not text:
        raise ValidationError({"body": ValidationError(_("Write a message."), code="body_needed")})
    prepared = attachments.prepare_all(list(files))
    with transaction.atomic():
        locked = _lock(request)
        require_permission(actor, "advice.post_message", locked)
        now = timezone.now()
        message = AdviceMessage.objects.create(request=locked, author=actor, body=text, body_html=render_text(text))
        for item in prepared:
            AdviceAttachment.objects.create(
                message=message,
                file=item.content,
                original_name=item.original_name,
                content_type=item.content_type,
                size=item.size,
            )
        fields = ["last_activity_at", "updated_at"]
        locked.last_activity_at = now
        if locked.status == AdviceStatus.ASSIGNED and locked.expert_id == actor.pk:
            locked.status = AdviceStatus.IN_PROGRESS
            fields.append("status")
        locked.save(update_fields=fields)
        notify(
            recipients=[person for person in _thread_people(locked) if person.pk != actor.pk],
            kind="advice.message",
            title=translatable(_("New message about: %(title)s"), title=locked.title),
            body=translatable(_("%(author)s wrote in the thread."), author=actor.public_name),
            url=message.get_absolute_url(),
        )
    _refresh(request, locked)
    return message


def _thread_people(request: AdviceRequest) -> list[Any]:
    """The requester side and the expert; the coordinators only while no expert is assigned."""
    people = requester_people(request)
    if request.expert_id:
        people += list(get_user_model().objects.filter(pk=request.expert_id, is_active=True))
    else:
        people += network_coordinators(request.network)
    return people


def hide_message(*, actor: Any, message: AdviceMessage, reason: str) -> AdviceMessage:
    """Hide a message that breaks the rules (network coordinators), with a reason shown in its place; closes the
    open reports on it. Audits."""
    from veche.contributions.services import resolve_reports

    if not reason.strip():
        raise ValidationError(
            {"reason": ValidationError(_("Say why the message is hidden; everyone in the thread reads it."))}
        )
    with transaction.atomic():
        locked = AdviceMessage.objects.select_for_update(of=("self",)).select_related("request").get(pk=message.pk)
        require_permission(actor, "advice.hide_message", locked)
        locked.hidden_at = timezone.now()
        locked.hidden_by = actor
        locked.hidden_reason = reason.strip()
        locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        record(
            actor=actor,
            action="advice.message_hidden",
            target=locked,
            organisation=locked.request.network_id,
            data={"reason": locked.hidden_reason[:500]},
        )
        resolve_reports(actor=actor, target=locked, note=locked.hidden_reason)
    message.hidden_at, message.hidden_by, message.hidden_reason = locked.hidden_at, actor, locked.hidden_reason
    return message


# --- Closing and rating ---------------------------------------------------------------------------------------------


def close_request(*, actor: Any, request: AdviceRequest, summary: str) -> AdviceRequest:
    """Close a request an expert worked on, with a summary of the advice (the assigned expert or a coordinator).
    Locks the row. Audits; asks the requester to rate the advice."""
    if len(summary.strip()) < 10:
        raise ValidationError(
            {"summary": ValidationError(_("Sum up the advice in a sentence or two."), code="summary_needed")}
        )
    with transaction.atomic():
        locked = _lock(request)
        require_permission(actor, "advice.close_request", locked)
        now = timezone.now()
        locked.status = AdviceStatus.CLOSED
        locked.summary = summary.strip()
        locked.summary_html = render_text(summary)
        locked.closed_by = actor
        locked.closed_at = now
        locked.last_activity_at = now
        locked.save(
            update_fields=[
                "status",
                "summary",
                "summary_html",
                "closed_by",
                "closed_at",
                "last_activity_at",
                "updated_at",
            ]
        )
        record(actor=actor, action="advice.closed", target=locked, organisation=locked.network_id)
        url = locked.get_absolute_url()
        notify(
            recipients=[person for person in requester_people(locked) if person.pk != actor.pk],
            kind="advice.closed",
            title=translatable(_("Your advice request was closed: %(title)s"), title=locked.title),
            body=_("Read the summary and tell the network how much the advice helped."),
            url=url,
        )
        if locked.expert_id and locked.expert_id != actor.pk:
            notify(
                recipients=get_user_model().objects.filter(pk=locked.expert_id),
                kind="advice.closed",
                title=translatable(_("A coordinator closed the advice request: %(title)s"), title=locked.title),
                url=url,
            )
    _refresh(request, locked)
    return request


def rate_request(*, actor: Any, request: AdviceRequest, rating: int, comment: str = "") -> AdviceRequest:
    """The requester rates the advice of a closed request, once: 1 (did not help) to 5. Locks the row. Audits;
    tells the expert."""
    if rating not in range(1, 6):
        raise ValidationError({"rating": ValidationError(_("Choose from 1 to 5."), code="invalid_rating")})
    with transaction.atomic():
        locked = _lock(request)
        if locked.rating is not None:
            raise ValidationError(_("The advice has already been rated."), code="already_rated")
        require_permission(actor, "advice.rate_request", locked)
        locked.rating = rating
        locked.rating_comment = comment.strip()
        locked.rated_at = timezone.now()
        locked.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
        record(
            actor=actor, action="advice.rated", target=locked, organisation=locked.network_id, data={"rating": rating}
        )
        if locked.expert_id:
            notify(
                recipients=get_user_model().objects.filter(pk=locked.expert_id),
                kind="advice.rated",
                title=translatable(
                    _("Your advice was rated %(rating)s of 5: %(title)s"), rating=rating, title=locked.title
                ),
                body=locked.rating_comment,
                url=locked.get_absolute_url(),
            )
    _refresh(request, locked)
    return request


# --- Reminders ------------------------------------------------------------------------------------------------------

DEFAULT_REMIND_AFTER_DAYS = 3


@dataclass(frozen=True)
class Reminders:
    coordinators: int  # requests waiting for an expert that the coordinators were reminded of
    experts: int  # requests with an expert but no activity that the expert was reminded of


def send_reminders(*, now: dt.datetime | None = None) -> Reminders:
    """Remind the network's coordinators of requests waiting for an expert, and experts of requests they took on
    without activity, once every VECHE_ADVICE_REMIND_AFTER_DAYS days (3 by default) per request.

    Idempotent and safe to run on several machines: each due request is claimed under a row lock (skip_locked) and
    its reminded_at set in the same transaction, so nobody is reminded twice for one period. Notifications go out in
    each recipient's language, email on commit. Run daily by `veche remind_advice` (or its task).
    """
    from django.conf import settings
    from django.db.models import Q

    now = now or timezone.now()
    days = int(getattr(settings, "VECHE_ADVICE_REMIND_AFTER_DAYS", DEFAULT_REMIND_AFTER_DAYS))
    due_before = now - dt.timedelta(days=days)
    counts = {"coordinators": 0, "experts": 0}
    with transaction.atomic():
        due = list(
            AdviceRequest.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("network", "expert")
            .filter(status__in=[AdviceStatus.NEW, AdviceStatus.ASSIGNED, AdviceStatus.IN_PROGRESS])
            .filter(last_activity_at__lt=due_before)
            .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=due_before))
            .order_by("pk")
        )
        coordinators_of: dict[int, list[Any]] = {}
        for request in due:
            url = request.get_absolute_url()
            idle = request.idle_days(now)
            if request.status == AdviceStatus.NEW:
                if request.network_id not in coordinators_of:
                    coordinators_of[request.network_id] = network_coordinators(request.network)
                notify(
                    recipients=coordinators_of[request.network_id],
                    kind="advice.reminder_unassigned",
                    title=translatable(
                        _("Waiting for an expert for %(days)s days: %(title)s"), days=idle, title=request.title
                    ),
                    url=url,
                )
                counts["coordinators"] += 1
            elif request.expert is not None and request.expert.is_active:
                notify(
                    recipients=[request.expert],
                    kind="advice.reminder_idle",
                    title=translatable(_("No news for %(days)s days: %(title)s"), days=idle, title=request.title),
                    body=_("Write to the requester in the thread, or close the request with a summary."),
                    url=url,
                )
                counts["experts"] += 1
        AdviceRequest.objects.filter(pk__in=[request.pk for request in due]).update(reminded_at=now)
    return Reminders(**counts)
