"""A person's networks, practitioner's profile and messages in "download my data", and what erasure does to them."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from veche.network.choices import MembershipState
from veche.network.models import ContactMessage, Membership, MembershipEvent, PractitionerProfile
from veche.network.visibility import GROUPS


def export_network_data(user: Any) -> dict[str, Any]:
    profile = PractitionerProfile.objects.filter(user=user).prefetch_related("methods", "topics").first()
    memberships = Membership.objects.filter(user=user).select_related("network").order_by("created_at", "pk")
    received = ContactMessage.objects.filter(profile__user=user).select_related("sender").order_by("created_at")
    sent = ContactMessage.objects.filter(sender=user).order_by("created_at")
    data: dict[str, Any] = {
        "memberships": [
            {
                "network": item.network.slug,
                "state": item.state,
                "motivation": item.motivation,
                "region": item.region,
                "experience": item.experience,
                "applied": item.created_at.isoformat(),
                "decision_message": item.decision_message,
            }
            for item in memberships
        ],
        "messages_received": [
            {"subject": item.subject, "body": item.body, "sent": item.created_at.isoformat()} for item in received
        ],
        "messages_sent": [
            {
                "to_profile": item.profile_id,
                "subject": item.subject,
                "body": item.body,
                "sent": item.created_at.isoformat(),
            }
            for item in sent
        ],
        "practitioner_profile": None,
    }
    if profile is not None:
        data["practitioner_profile"] = {
            "published": profile.is_published,
            "name": profile.name,
            "organisation": profile.organisation_name,
            "role": profile.role,
            "region": profile.region,
            "country": profile.country,
            "languages": profile.languages,
            "methods": [method.slug for method in profile.methods.all()],
            "topics": [topic.slug for topic in profile.topics.all()],
            "bio": profile.bio,
            "years_of_experience": profile.years_of_experience,
            "processes": profile.processes,
            "available_as": profile.availability,
            "visibility": {group: getattr(profile, f"{group}_visibility") for group in GROUPS},
        }
    return data


def erase_network_data(user: Any) -> None:
    """The profile (and its photo and received messages) goes; memberships end and lose what the person wrote, but
    their history stays for the network (without the person's words); sent messages stay for their recipients
    without the sender."""
    profile = PractitionerProfile.objects.filter(user=user).first()
    if profile is not None:
        if profile.photo:
            storage, name = profile.photo.storage, profile.photo.name
            transaction.on_commit(lambda: storage.delete(name))
        profile.delete()
    now = timezone.now()
    open_ones = Membership.objects.filter(user=user, state__in=[MembershipState.APPLIED, MembershipState.ACTIVE])
    for membership in open_ones:
        membership.state = (
            MembershipState.LEFT if membership.state == MembershipState.ACTIVE else MembershipState.WITHDRAWN
        )
        membership.ended_at = now
        membership.save(update_fields=["state", "ended_at", "updated_at"])
        MembershipEvent.objects.create(membership=membership, state=membership.state, actor=None)
    Membership.objects.filter(user=user).update(motivation="", region="", experience="")
    MembershipEvent.objects.filter(membership__user=user, actor=user).update(message="")
    ContactMessage.objects.filter(sender=user).update(sender=None)
