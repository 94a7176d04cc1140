"""Practitioners' profiles: creating, editing, publishing; the photo re-encoded without metadata."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from veche.audit.services import record
from veche.core.images import reencode_image
from veche.core.models import Method, Topic
from veche.core.permissions import require_permission
from veche.network.models import PractitionerProfile
from veche.network.search import refresh_search_documents

PROFILE_FIELDS = (
    "is_published",
    "name",
    "organisation_name",
    "role",
    "region",
    "country",
    "languages",
    "bio",
    "years_of_experience",
    "processes",
    "available_as_mentor",
    "available_as_facilitator",
    "available_as_trainer",
    "available_as_advisor",
    "accepts_messages",
    "name_visibility",
    "photo_visibility",
    "organisation_visibility",
    "role_visibility",
    "location_visibility",
    "languages_visibility",
    "methods_visibility",
    "topics_visibility",
    "bio_visibility",
    "experience_visibility",
    "processes_visibility",
    "availability_visibility",
)
PHOTO_SIDE = 600


def profile_of(user: Any) -> PractitionerProfile | None:
    return PractitionerProfile.objects.filter(user_id=user.pk).first()


def save_profile(
    *,
    actor: Any,
    changes: dict[str, Any],
    methods: list[Method] | None = None,
    topics: list[Topic] | None = None,
    photo: UploadedFile | None = None,
    remove_photo: bool = False,
) -> PractitionerProfile:
    """Create or update the actor's own profile with the given field values (validated by the form or the caller).

    Only the person edits their profile: there is no parameter for someone else's. The photo is decoded and saved
    again (veche.core.images), so EXIF and GPS never reach the server's files. Refreshes the search documents.
    Raises ValidationError for bad values (a photo that is not an image, an unknown language). Audits publishing
    and unpublishing.
    """
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    encoded = reencode_image(photo, max_side=PHOTO_SIDE) if photo is not None else None
    with transaction.atomic():
        profile = PractitionerProfile.objects.select_for_update().filter(user_id=actor.pk).first()
        created = profile is None
        if created:
            profile = PractitionerProfile(user=actor, name=changes.get("name") or actor.public_name)
        else:
            require_permission(actor, "network.change_practitioner", profile)
        was_published = profile.is_published and not created
        for name, value in changes.items():
            setattr(profile, name, value)
        if not profile.name.strip():
            raise ValidationError({"name": ValidationError(_("Please fill this in."), code="required")})
        profile.full_clean(exclude=["photo", "user"])
        old_photo = profile.photo.name if profile.photo else ""
        if encoded is not None:
            profile.photo.save(encoded.name, encoded, save=False)
        elif remove_photo:
            profile.photo = ""
        profile.save()
        if methods is not None:
            profile.methods.set(methods)
        if topics is not None:
            profile.topics.set(topics)
        refresh_search_documents(profile)
        if profile.is_published != was_published:
            record(
                actor=actor,
                action="network.profile_published" if profile.is_published else "network.profile_unpublished",
                target=profile,
            )
        if old_photo and (encoded is not None or remove_photo):
            storage = profile.photo.storage
            transaction.on_commit(lambda: storage.delete(old_photo))
    return profile


def unlist_profile(*, actor: Any, profile: PractitionerProfile, reason: str) -> PractitionerProfile:
    """A moderator of one of the practitioner's networks takes the profile out of the database (the person can
    publish it again after editing it) and resolves its reports. Raises PermissionDenied unless actor moderates such
    a network; ValidationError without a reason. Audits; tells the person why."""
    from django.urls import reverse

    from veche.contributions.services import resolve_reports
    from veche.notifications.services import notify, translatable

    require_permission(actor, "network.moderate_practitioner", profile)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why you hide it."), code="required")})
    with transaction.atomic():
        PractitionerProfile.objects.filter(pk=profile.pk).update(is_published=False)
        profile.is_published = False
        resolve_reports(actor=actor, target=profile, note=reason)
        record(actor=actor, action="network.profile_unlisted", target=profile, data={"reason": reason})
        notify(
            recipients=[profile.user],
            kind="network.profile_unlisted",
            title=translatable(_("The moderators took your practitioner's profile out of the database")),
            body=reason,
            url=reverse("network:profile_edit"),
        )
    return profile
