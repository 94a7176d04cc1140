"""Permissions on consultations — the one place they are decided. The "Consultations" table in
docs/domain/permissions.md is the specification; tests/test_permission_matrix.py checks these rules against it.

Each part of the app keeps its rules in its own section below. Objects: a Consultation, or anything with a
`.consultation` (a document, a contribution). Predicates need the consultation's module phases prefetched
(ConsultationQuerySet.with_timeline) to stay query-free.
"""

from __future__ import annotations

from typing import Any

import rules

from veche.organisations import rules as organisation_rules
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
# Objects: a consultation (comment_consultation), a contribution (moderate_contribution). Coordinators manage documents,
# attachments and one-time codes with change_consultation. Whoever may comment may also propose wording, reply and
# support; anonymous visitors may when the consultation takes part without accounts, and must then verify an email
# address or use a one-time code first (services/documents_participation.py checks that, the rule cannot see it).


@rules.predicate
def open_to_people_without_account(user: Any, obj: Any) -> bool:
    from veche.consultations.choices import ParticipationMode

    consultation = consultation_of(obj)
    return bool(consultation is not None and consultation.participation_mode != ParticipationMode.SIGNED_IN)


can_comment = (
    is_published_consultation & phase_allows("comment") & (rules.is_authenticated | open_to_people_without_account)
)
can_moderate = is_moderator_here | rules.is_superuser

rules.add_perm("consultations.comment_consultation", can_comment)
rules.add_perm("consultations.moderate_contribution", can_moderate)


# --- Surveys and offline input -------------------------------------------------------------------------------------
# The survey's builder is the coordinators'; anyone may answer a published consultation's survey in the open phase (the
# view then asks who they are, by the consultation's participation mode). Results: staff always; the public as the
# survey says (live, or once the consultation has closed). Offline input: moderators and up, in the open and analysis
# phases and after them until the report is published; a moderator edits their own entries, coordinators anyone's.


def _survey_results_public(survey: Any) -> bool:
    from veche.consultations.models.surveys import ResultsVisibility

    if not getattr(survey, "is_published", False):
        return False
    if survey.results_visibility == ResultsVisibility.LIVE:
        return True
    return bool(survey.results_visibility == ResultsVisibility.AFTER_CLOSE and survey.consultation.is_closed())


@rules.predicate
def survey_results_public(user: Any, obj: Any) -> bool:
    return obj is not None and hasattr(obj, "results_visibility") and _survey_results_public(obj)


@rules.predicate
def offline_input_window(user: Any, obj: Any) -> bool:
    """The open and analysis phases, and after them until the report is published."""
    from veche.consultations.services.offline import offline_window_open

    consultation = consultation_of(obj)
    return consultation is not None and offline_window_open(consultation)


@rules.predicate
def recorded_it(user: Any, obj: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(obj, "recorded_by_id", None) == user.pk)


@rules.predicate
def is_offline_contribution(user: Any, obj: Any) -> bool:
    from veche.consultations.choices import ContributionKind

    return getattr(obj, "kind", None) == ContributionKind.OFFLINE


rules.add_perm("consultations.change_survey", can_manage)
rules.add_perm("consultations.answer_survey", is_published_consultation & phase_allows("survey"))
rules.add_perm(
    "consultations.view_survey_results",
    is_staff_here | rules.is_superuser | (is_published_consultation & survey_results_public),
)
rules.add_perm("consultations.export_survey_answers", is_staff_here | rules.is_superuser)
rules.add_perm("consultations.record_offline", (is_moderator_here | rules.is_superuser) & offline_input_window)
rules.add_perm(
    "consultations.change_offline_contribution",
    is_offline_contribution
    & offline_input_window
    & ((is_moderator_here & recorded_it) | is_coordinator_here | rules.is_superuser),
)


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

# The report: public once published; staff see drafts. Coordinators write, build and publish it in the responding time.
rules.add_perm("consultations.view_report", (has_published_report & can_view) | is_moderator_here | rules.is_superuser)
rules.add_perm("consultations.manage_report", can_manage & is_responding_time)

# Standards and population figures: the checklist of a consultation is its coordinators'; the organisation's own
# standards and population figures (object: the organisation) are its coordinators' and administrators'.
rules.add_perm("consultations.assess_standards", can_manage)
rules.add_perm("consultations.manage_standards", organisation_rules.is_coordinator_or_admin | rules.is_superuser)
