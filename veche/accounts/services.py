"""Every change to a person's own account: profile, API tokens, data export and erasure."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from veche.accounts import personal_data
from veche.accounts.models import ApiToken, User
from veche.audit.services import record
from veche.organisations.choices import RoleKind
from veche.organisations.models import Organisation, Role
from veche.organisations.roles import forget_roles

EXPORT_FORMAT = "veche-personal-data/1"
MAX_ACTIVE_TOKENS = 20


def update_profile(*, user: User, display_name: str, language: str) -> User:
    """Save the person's public name and preferred language (already validated by ProfileForm)."""
    user.display_name = display_name.strip()
    user.language = language
    user.save(update_fields=["display_name", "language"])
    return user


# --- API tokens -----------------------------------------------------------------------------------------------------


def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token and return it with the raw secret, which is never stored and cannot be shown again.

    Raises ValidationError for an empty name or when the person already has MAX_ACTIVE_TOKENS active tokens (the
    user row is locked so that two parallel requests cannot both pass the check).
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")}, code="required")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).exists()
        if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
            raise ValidationError(
                _("You can have at most %(count)s active tokens; revoke one you no longer use."),
                code="too_many_tokens",
                params={"count": MAX_ACTIVE_TOKENS},
            )
        raw, prefix, key_hash = ApiToken.generate()
        token = ApiToken.objects.create(user=user, name=name, prefix=prefix, key_hash=key_hash)
    return token, raw


def revoke_api_token(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke token for good. Only its owner or a superuser may. Revoking a revoked token changes nothing."""
    if actor.pk != token.user_id and not actor.is_superuser:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


# --- Download my data -----------------------------------------------------------------------------------------------


def export_personal_data(*, user: User) -> dict[str, Any]:
    """Everything the site keeps about user, as JSON-ready data. Secrets (password, token and TOTP secrets) excluded.

    Other apps add their part through veche.accounts.personal_data.register_exporter.
    """
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "user": {
            "id": user.pk,
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "roles": [
            {
                "organisation": role.organisation.slug,
                "organisation_name": role.organisation.name,
                "role": role.kind,
                "granted_at": role.granted_at.isoformat(),
            }
            for role in Role.objects.of(user).select_related("organisation").order_by("organisation__slug", "kind")
        ],
        "api_tokens": [
            {
                "name": token.name,
                "prefix": token.prefix,
                "created_at": token.created_at.isoformat(),
                "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
                "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
            }
            for token in ApiToken.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "two_factor": [
            {
                "type": authenticator.type,
                "created_at": authenticator.created_at.isoformat(),
                "last_used_at": authenticator.last_used_at.isoformat() if authenticator.last_used_at else None,
            }
            for authenticator in Authenticator.objects.filter(user=user).order_by("type", "pk")
        ],
    }
    for key, exporter in personal_data.exporters().items():
        data[key] = exporter(user)
    return data


# --- Delete my account ----------------------------------------------------------------------------------------------


def _refuse_if_last_administrator(user: User) -> None:
    """An organisation must keep an administrator, so its only (active) one cannot leave by erasure."""
    administered = list(
        Role.objects.select_for_update()
        .filter(user=user, kind=RoleKind.ADMINISTRATOR)
        .values_list("organisation_id", flat=True)
    )
    if not administered:
        return
    covered = set(
        Role.objects.filter(organisation_id__in=administered, kind=RoleKind.ADMINISTRATOR, user__is_active=True)
        .exclude(user=user)
        .values_list("organisation_id", flat=True)
    )
    orphaned = [pk for pk in administered if pk not in covered]
    if orphaned:
        names = ", ".join(Organisation.objects.filter(pk__in=orphaned).order_by("name").values_list("name", flat=True))
        raise ValidationError(
            _(
                "You are the only administrator of %(organisations)s. Appoint another administrator there "
                "before deleting your account."
            ),
            code="last_administrator",
            params={"organisations": names},
        )


def erase_account(*, user: User, actor: Any = None) -> User:
    """Erase the person's personal data and close the account; their public contributions stay, anonymised.

    actor is who asks (the person themselves by default, or a superuser in the admin). In one transaction: runs the
    erasers other apps registered, deletes email addresses, authenticators, API tokens and roles, blanks email, name
    and language, makes the password unusable, deactivates, stamps erased_at and audits. Sessions are not scanned:
    the account is inactive and the unusable password changes the session auth hash, so every other device is
    signed out on its next request. The row itself stays, because contributions and the audit log point at it.
    Raises ValidationError (code "last_administrator") when the person is the only administrator of an organisation.
    Erasing an erased account does nothing.
    """
    actor = actor if actor is not None else user
    if actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied
    with transaction.atomic():
        erased_at = User.objects.select_for_update().filter(pk=user.pk).values_list("erased_at", flat=True).get()
        if erased_at is not None:
            return user
        _refuse_if_last_administrator(user)
        hooks = personal_data.erasers()
        for eraser in hooks.values():
            eraser(user)
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        ApiToken.objects.filter(user=user).delete()
        Role.objects.filter(user=user).delete()
        user.groups.clear()
        user.user_permissions.clear()
        user.email = None
        user.display_name = ""
        user.language = ""
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.last_login = None
        user.erased_at = timezone.now()
        user.save()
        record(
            actor=actor,
            action="accounts.erased",
            target=user,
            data={"by": "self" if actor.pk == user.pk else "superuser", "erasers": sorted(hooks)},
        )
    forget_roles(user)
    return user
