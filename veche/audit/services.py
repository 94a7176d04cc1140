"""Write to the audit log. Every service that changes something staff are accountable for calls record()."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from veche.audit.models import AuditEntry


def describe(target: models.Model | None) -> str:
    """How the log names the target. The log outlives erasure, so models that would name a person in str() define
    audit_repr() without personal data (e.g. a Role names its kind and organisation, not the person)."""
    if target is None:
        return ""
    audit_repr = getattr(target, "audit_repr", None)
    return str(audit_repr() if callable(audit_repr) else target)[:200]


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    organisation: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. action is a dotted verb such as "organisations.role_granted"; data must be JSON-serialisable.

    Call inside the service's transaction so that the entry exists exactly when the change does.
    """
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    if organisation is None and target is not None:
        from veche.organisations.rules import organisation_id_of

        organisation_id = organisation_id_of(target)
    else:
        organisation_id = getattr(organisation, "pk", organisation)
    return AuditEntry.objects.create(
        actor_id=actor_id,
        action=action,
        organisation_id=organisation_id,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=describe(target),
        data=data or {},
    )
