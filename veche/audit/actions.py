"""Human labels for audit actions. Each app registers the actions its services record (from AppConfig.ready());
the audit log page shows the label in the reader's language, or the dotted code for an action nobody labelled."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_labels: dict[str, str | Promise] = {
    # The organisations app is part of the core and predates this registry.
    "organisations.updated": _("Organisation updated"),
    "organisations.role_granted": _("Role granted"),
    "organisations.role_revoked": _("Role removed"),
}


def register_action_labels(labels: Mapping[str, str | Promise]) -> None:
    _labels.update(labels)


def action_label(action: str) -> str | Promise:
    return _labels.get(action, action)
