"""The budgeting module type: its phases, what each phase allows, and the hooks the core and other apps call."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from veche.participation.registry import ModuleType, PhaseType

PROPOSE = "propose"
SIGN = "sign"
REVIEW = "review"
APPEAL = "appeal"
VOTE = "vote"
RESULTS = "results"
IMPLEMENTATION = "implementation"


def create_edition(*, module: Any, actor: Any) -> None:
    """A new budgeting module gets its edition at once; the currency is guessed from the organisation's country."""
    from veche.budgeting.models import Edition

    country = module.process.organisation.country
    currency = {"PL": "PLN", "CZ": "CZK", "HU": "HUF", "RO": "RON", "BG": "BGN"}.get(country, "EUR")
    Edition.objects.create(module=module, currency=currency)


def edition_stats(module: Any) -> dict[str, Any]:
    """Headline figures for other apps (the network's map of participation): money, proposals, ballots, funded."""
    from veche.budgeting.querysets import edition_stats as compute

    return compute(module)


def edition_url(module: Any) -> str:
    """The edition's page, linked from the process page (one query for the edition's id)."""
    from django.urls import reverse

    from veche.budgeting.models import Edition

    edition_id = Edition.objects.filter(module=module).values_list("pk", flat=True).first()
    if edition_id is None:
        return ""
    return reverse("budgeting:edition", kwargs={"edition_id": edition_id})


def edition_case_summary(module: Any) -> Any:
    """The edition as a case on the network's map of participation, once its results are published (None before):
    the money, who voted, which projects were funded and where. A fixed number of queries."""
    from veche.budgeting.case_summary import case_summary

    return case_summary(module)


BUDGETING = ModuleType(
    key="budgeting",
    name=_("Participatory budget"),
    description=_("Residents propose projects, the office checks them, residents vote and the city carries them out."),
    phases=(
        PhaseType("submission", _("Submission of proposals"), frozenset({PROPOSE, SIGN})),
        PhaseType("verification", _("Verification"), frozenset({REVIEW})),
        PhaseType("appeals", _("Appeals"), frozenset({APPEAL, REVIEW})),
        PhaseType("voting", pgettext_lazy("budget phase", "Voting"), frozenset({VOTE})),
        PhaseType("results", _("Results"), frozenset({RESULTS})),
        PhaseType("implementation", _("Implementation"), frozenset({RESULTS, IMPLEMENTATION})),
    ),
    stats=edition_stats,
    on_module_added=create_edition,
    entry_url=edition_url,
    case_summary=edition_case_summary,
)
