"""The audit entries a person made, for their "download my data" export. Entries are never erased (the log is
append-only); erasing an account blanks the person, so the entries then show "Deleted account"."""

from __future__ import annotations

from typing import Any

from veche.audit.models import AuditEntry


def export_audit_entries(user: Any) -> list[dict[str, Any]]:
    entries = AuditEntry.objects.filter(actor=user).select_related("organisation").order_by("id")
    return [
        {
            "created_at": entry.created_at.isoformat(),
            "action": entry.action,
            "organisation": entry.organisation.slug if entry.organisation else None,
            "object": entry.target_repr,
            "details": entry.data,
        }
        for entry in entries
    ]
