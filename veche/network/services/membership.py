"""Applications, decisions, leaving: the life of a network membership, with every step kept as a MembershipEvent."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veche.audit.services import record
from veche.core.permissions import require_permission
from veche.network.access import COORDINATOR_ROLES, forget
from veche.network.choices import MembershipState
from veche.network.models import Membership, MembershipEvent, NetworkSettings
from veche.notifications.services import notify, translatable
from veche.organisations.choices import OrganisationKind
from veche.organisations.models import Affiliation, Organisation, Role

SETTINGS_FIELDS = ("member_list_visibility", "accepts_applications", "application_intro")


def network_settings(network: Organisation) -> NetworkSettings:
    """The network's settings, created with the defaults the first time. Attached to the network object."""
    if network.kind != OrganisationKind.NETWORK:
        raise ValidationError(_("This organisation is not a network."), code="not_a_network")
    settings, _created = NetworkSettings.objects.get_or_create(network=network)
    network.network_settings = settings
    return settings


def update_network_settings(*, actor: Any, network: Organisation, changes: dict[str, Any]) -> NetworkSettings:
    """Change who sees the member list, whether the network accepts applications and its note for applicants.
    Raises PermissionDenied unless actor coordinates the network. Audits the changed field names."""
    require_permission(actor, "network.change_network_settings", network)
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Unknown network settings: {sorted(unknown)}")
    with transaction.atomic():
        settings = network_settings(network)
        changed = sorted(name for name, value in changes.items() if getattr(settings, name) != value)
        for name, value in changes.items():
            setattr(settings, name, value)
        settings.full_clean()
        settings.save()
        record(
            actor=actor,
            action="network.settings_changed",
            target=settings,
            organisation=network,
            data={"fields": changed},
        )
    return settings


def _coordinators(network: Organisation) -> list[Any]:
    roles = Role.objects.filter(organisation=network, kind__in=COORDINATOR_ROLES, user__is_active=True)
    return list({role.user.pk: role.user for role in roles.select_related("user")}.values())


def _organisation_contacts(organisation: Organisation) -> list[Any]:
    roles = Role.objects.filter(organisation=organisation, kind__in=COORDINATOR_ROLES, user__is_active=True)
    return list({role.user.pk: role.user for role in roles.select_related("user")}.values())


def _member_people(membership: Membership) -> list[Any]:
    """Who hears about a decision: the person, or the applicant and the organisation's administrators."""
    if membership.user_id:
        return [membership.user]
    people = _organisation_contacts(membership.organisation)
    if membership.applied_by is not None and membership.applied_by.is_active:
        people.append(membership.applied_by)
    return people


def _event(membership: Membership, *, actor: Any, message: str = "") -> MembershipEvent:
    return MembershipEvent.objects.create(
        membership=membership,
        state=membership.state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        message=message,
    )


def _clean_text(value: str, *, field: str, required: bool, limit: int = 2000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: ValidationError(_("Please fill this in."), code="required")})
    if len(value) > limit:
        raise ValidationError(
            {
                field: ValidationError(
                    _("Please keep it under %(limit)s characters."), code="too_long", params={"limit": limit}
                )
            }
        )
    return value


def apply_to_network(
    *,
    actor: Any,
    network: Organisation,
    motivation: str,
    region: str,
    experience: str,
    organisation: Organisation | None = None,
) -> Membership:
    """File an application to join network — for the actor, or for an organisation they administer or coordinate.

    Raises PermissionDenied unless the network accepts applications and actor may apply (for the organisation);
    ValidationError for an empty field, an organisation that is a network itself or already a member
    (`already_member`), or an application already waiting (`already_applied`) — the partial unique constraints
    decide, not a prior check. Audits; notifies the network's coordinators.
    """
    require_permission(actor, "network.apply", network)
    if organisation is not None:
        require_permission(actor, "network.apply_for_organisation", organisation)
        if organisation.pk == network.pk or organisation.kind == OrganisationKind.NETWORK:
            raise ValidationError(_("A network cannot be a member of a network."), code="network_member")
    motivation = _clean_text(motivation, field="motivation", required=True)
    region = _clean_text(region, field="region", required=True, limit=120)
    experience = _clean_text(experience, field="experience", required=True)
    member = {"organisation": organisation} if organisation is not None else {"user": actor}
    if (
        organisation is not None
        and Affiliation.objects.filter(network=network, organisation=organisation, left_on__isnull=True).exists()
    ):
        raise ValidationError(_("This organisation is already a member of the network."), code="already_member")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                network=network,
                motivation=motivation,
                region=region,
                experience=experience,
                applied_by=actor,
                state=MembershipState.APPLIED,
                **member,
            )
            _event(membership, actor=actor, message=motivation)
            record(
                actor=actor,
                action="network.applied",
                target=membership,
                organisation=network,
                data={"organisation": organisation.pk if organisation else None},
            )
            notify(
                recipients=_coordinators(network),
                kind="network.application",
                title=translatable(
                    _("%(member)s applied to join %(network)s"),
                    member=membership.member_name,
                    network=network.name,
                ),
                body=motivation[:500],
                url=reverse("network:applications", kwargs={"slug": network.slug}),
            )
    except IntegrityError:
        existing = Membership.objects.open().filter(network=network, **member).first()
        if existing is not None and existing.state == MembershipState.ACTIVE:
            raise ValidationError(_("You are already a member of this network."), code="already_member") from None
        raise ValidationError(
            _("An application is already waiting for the coordinators' decision."), code="already_applied"
        ) from None
    return membership


def _lock(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("network", "user", "organisation", "applied_by")
        .get(pk=membership.pk)
    )


def decide_application(*, actor: Any, membership: Membership, accept: bool, message: str = "") -> Membership:
    """Accept or decline a waiting application, with a message to the applicant (required when declining).

    Raises PermissionDenied unless actor coordinates the network; ValidationError `already_decided` when the
    application is no longer waiting (the row is locked, so two coordinators cannot both decide). Accepting an
    organisation records its current Affiliation too. Audits; notifies the applicant.
    """
    require_permission(actor, "network.manage_members", membership.network)
    message = _clean_text(message, field="message", required=not accept)
    with transaction.atomic():
        locked = _lock(membership)
        if locked.state != MembershipState.APPLIED:
            raise ValidationError(_("This application has already been decided."), code="already_decided")
        now = timezone.now()
        locked.state = MembershipState.ACTIVE if accept else MembershipState.DECLINED
        locked.decided_by = actor
        locked.decided_at = now
        locked.decision_message = message
        if accept:
            locked.joined_at = now
            if locked.organisation_id:
                Affiliation.objects.get_or_create(
                    network=locked.network,
                    organisation=locked.organisation,
                    left_on=None,
                    defaults={"joined_on": timezone.localdate()},
                )
        locked.save()
        _event(locked, actor=actor, message=message)
        record(
            actor=actor,
            action="network.application_accepted" if accept else "network.application_declined",
            target=locked,
            organisation=locked.network,
        )
        title = (
            _("Welcome to %(network)s: your application was accepted")
            if accept
            else _("Your application to %(network)s was declined")
        )
        notify(
            recipients=_member_people(locked),
            kind="network.decision",
            title=translatable(title, network=locked.network.name),
            body=message,
            url=reverse("network:membership", kwargs={"slug": locked.network.slug, "pk": locked.pk}),
        )
    if locked.user_id:
        forget(locked.user)
    return locked


def _end(*, actor: Any, membership: Membership, state: str, message: str, action: str) -> Membership:
    with transaction.atomic():
        locked = _lock(membership)
        if locked.state not in (MembershipState.APPLIED, MembershipState.ACTIVE):
            raise ValidationError(_("This membership has already ended."), code="already_ended")
        was_active = locked.state == MembershipState.ACTIVE
        if not was_active and state != MembershipState.LEFT:
            raise ValidationError(_("Decide the application instead."), code="not_active")
        locked.state = state if was_active else MembershipState.WITHDRAWN
        locked.ended_at = timezone.now()
        locked.save(update_fields=["state", "ended_at", "updated_at"])
        if was_active and locked.organisation_id:
            Affiliation.objects.filter(
                network=locked.network, organisation=locked.organisation, left_on__isnull=True
            ).update(left_on=timezone.localdate())
        _event(locked, actor=actor, message=message)
        record(actor=actor, action=action, target=locked, organisation=locked.network, data={"state": locked.state})
    if locked.user_id:
        forget(locked.user)
    return locked


def leave_network(*, actor: Any, membership: Membership, message: str = "") -> Membership:
    """The member leaves (or withdraws a waiting application). For an organisation, its administrators and
    coordinators may do it. Raises PermissionDenied otherwise; ValidationError `already_ended`. Ends the
    organisation's Affiliation. Audits; tells the coordinators."""
    require_permission(actor, "network.leave_membership", membership)
    message = _clean_text(message, field="message", required=False)
    ended = _end(actor=actor, membership=membership, state=MembershipState.LEFT, message=message, action="network.left")
    notify(
        recipients=_coordinators(ended.network),
        kind="network.left",
        title=translatable(_("%(member)s left %(network)s"), member=ended.member_name, network=ended.network.name),
        body=message,
        url=reverse("network:members", kwargs={"slug": ended.network.slug}),
        email=False,
    )
    return ended


def end_membership(*, actor: Any, membership: Membership, message: str) -> Membership:
    """A coordinator ends a current membership, saying why (the member reads it). Raises PermissionDenied unless
    actor coordinates the network; ValidationError `required`, `already_ended`, `not_active`. Audits; notifies."""
    require_permission(actor, "network.manage_members", membership.network)
    if membership.user_id == getattr(actor, "pk", None):
        raise PermissionDenied
    message = _clean_text(message, field="message", required=True)
    ended = _end(
        actor=actor,
        membership=membership,
        state=MembershipState.REMOVED,
        message=message,
        action="network.membership_ended",
    )
    notify(
        recipients=_member_people(ended),
        kind="network.decision",
        title=translatable(_("Your membership of %(network)s has ended"), network=ended.network.name),
        body=message,
        url=reverse("network:membership", kwargs={"slug": ended.network.slug, "pk": ended.pk}),
    )
    return ended
