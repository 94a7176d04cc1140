"""Permissions on consultations — the one place they are decided. The "Consultations" table in
docs/domain/permissions.md is the specification; tests/test_permission_matrix.py checks these rules against it.

Each part of the app keeps its rules in its own section below. Objects: a Consultation, or anything with a
`.consultation` (a document, a contribution). Predicates need the consultation's module phases prefetched
(ConsultationQuerySet.with_timeline) to stay query-free.
"""

from __future__ import annotations

from typing import Any

import rules

from veche.organisations.choices import RoleKind
from veche.organisations.roles import roles_in


def consultation_of(obj: Any) -> Any:
    """The consultation an object belongs to (itself for a Consultation)."""
    if obj is None:
        return None
    return obj if hasattr(obj, "module_id") and hasattr(obj, "subject") else getattr(obj, "consultation", None)


def _has_role_here(*kinds: str) -> rules.Predicate:
    wanted = frozenset(kinds)

    @rules.predicate(name=f"consultation_role({','.join(sorted(wanted))})")
    def predicate(user: Any, obj: Any) -> bool:
        consultation = consultation_of(obj)
        return bool(consultation is not None and roles_in(user, consultation.organisation_id) & wanted)

    return predicate


is_coordinator_here = _has_role_here(RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR)
is_moderator_here = _has_role_here(RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR, RoleKind.MODERATOR)
is_staff_here = _has_role_here(RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR, RoleKind.MODERATOR, RoleKind.EXPERT)


@rules.predicate
def is_published_consultation(user: Any, obj: Any) -> bool:
    consultation = consultation_of(obj)
    if consultation is None:
        return False
    return bool(consultation.module.process.is_published and consultation.organisation.is_published)


def phase_allows(feature: str) -> rules.Predicate:
    """True when the consultation's current phase allows feature."""

    @rules.predicate(name=f"consultation_allows({feature})")
    def predicate(user: Any, obj: Any) -> bool:
        consultation = consultation_of(obj)
        return bool(consultation is not None and consultation.module.allows(feature))

    return predicate


@rules.predicate
def report_not_published(user: Any, obj: Any) -> bool:
    consultation = consultation_of(obj)
    return bool(consultation is not None and consultation.report_published_at is None)


can_view = is_published_consultation | is_moderator_here | rules.is_superuser
can_manage = is_coordinator_here | rules.is_superuser

rules.add_perm("consultations.view_consultation", can_view)
rules.add_perm("consultations.change_consultation", can_manage)

# --- Set-up and finding ------------------------------------------------------------------------------------------
# add_consultation is checked against an Organisation; follow_consultation against a consultation.

from veche.organisations.rules import is_coordinator_or_admin  # noqa: E402

rules.add_perm("consultations.add_consultation", is_coordinator_or_admin | rules.is_superuser)
rules.add_perm("consultations.follow_consultation", rules.is_authenticated & can_view)


# --- Documents, comments, participation and moderation -------------------------------------------------------------


# --- Surveys and offline input -------------------------------------------------------------------------------------


# --- Responses, report, standards and evaluation ----------------------------------------------------------------


@rules.predicate
def is_responding_time(user: Any, obj: Any) -> bool:
    """Closed for residents, report not yet published: the time for official responses."""
    consultation = consultation_of(obj)
    return bool(consultation is not None and consultation.is_closed() and consultation.report_published_at is None)


@rules.predicate
def has_published_report(user: Any, obj: Any) -> bool:
    consultation = consultation_of(obj)
    return bool(consultation is not None and consultation.report_published_at is not None)


# Staff see the work queue at any time; coordinators answer after closing until the report is out.
rules.add_perm("consultations.view_response_queue", is_moderator_here | rules.is_superuser)
rules.add_perm("consultations.respond_contribution", can_manage & is_responding_time)
