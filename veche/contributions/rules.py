"""Permissions on follows and reports. The "Follows and reports" table in docs/domain/permissions.md is the
specification; tests/test_permission_matrix.py checks these rules against it.

Whether a person may see (and so report) a piece of content is the content's own app's rule, asked through the
registry (Reportable.is_visible_to) by the service; these rules only say who may report and who moderates.
"""

from __future__ import annotations

import rules

from veche.organisations.rules import is_moderating_staff

# The object of view_moderation_queue is the organisation; of decide_report the report (it has organisation_id).
rules.add_perm("contributions.report_content", rules.is_authenticated)
rules.add_perm("contributions.view_moderation_queue", is_moderating_staff | rules.is_superuser)
rules.add_perm("contributions.decide_report", is_moderating_staff | rules.is_superuser)
