"""What a finished participatory budget tells the network's map of participation (participation.registry.CaseSummary).

Read from the published results only: nothing is summarised before results_published_at, and only funded projects
(those with an implementation record) count as funded. The network app calls this through the module type and never
imports these models.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from veche.core.vocabulary import MethodChoices
from veche.participation.registry import CaseSummary

MOST_NAMED_PROJECTS = 10


def case_summary(module: Any) -> CaseSummary | None:
    from veche.budgeting.models import Ballot, Edition, Pool, Proposal, VoterRecord

    edition = Edition.objects.select_related("module__process").filter(module_id=module.pk).first()
    if edition is None or edition.results_published_at is None:
        return None
    process = edition.module.process
    dates = module.phases.aggregate(first=Min("starts_at"))
    funded = list(
        Proposal.objects.filter(edition=edition, implementation__isnull=False)
        .annotate(cost=Coalesce("verified_cost", "cost_estimate"))
        .order_by("pool__weight", "pool_id", "number")
        .values("title", "cost", "latitude", "longitude")
    )
    on_ballot = Proposal.objects.filter(edition=edition).on_ballot().count()
    voters = VoterRecord.objects.filter(edition=edition).values("voter_key").distinct().count()
    if not voters:  # an imported (Pabulib) edition has ballots but no register: the largest pool is the best guess
        per_pool = Ballot.objects.filter(pool__edition=edition).values("pool_id").annotate(count=Count("pk"))
        voters = max((row["count"] for row in per_pool), default=0)
    funded_total = sum((row["cost"] or Decimal(0) for row in funded), Decimal(0))
    budget = edition.total_budget or Pool.objects.filter(edition=edition).aggregate(total=Sum("budget"))["total"]
    points = [(row["latitude"], row["longitude"]) for row in funded if row["latitude"] is not None]
    latitude = float(sum(point[0] for point in points) / len(points)) if points else None
    longitude = float(sum(point[1] for point in points) / len(points)) if points else None
    links = [
        (_("Results: %(pool)s") % {"pool": pool.name}, reverse("budgeting:results", args=[edition.pk, pool.pk]))
        for pool in Pool.objects.filter(edition=edition, result__isnull=False)
    ]
    if funded:
        links.append(
            (_("Implementation of the funded projects"), reverse("budgeting:implementation_list", args=[edition.pk]))
        )
    return CaseSummary(
        title=str(module.title or process.title),
        summary=process.summary,
        organisation_id=process.organisation_id,
        methods=(MethodChoices.PARTICIPATORY_BUDGETING.value,),
        url=edition.get_absolute_url(),
        started_on=timezone.localdate(dates["first"]) if dates["first"] else None,
        ended_on=timezone.localdate(edition.results_published_at),
        participants=voters or None,
        participants_note=ngettext("%(count)s resident voted.", "%(count)s residents voted.", voters)
        % {"count": number_format(voters, force_grouping=True)}
        if voters
        else "",
        budget=budget or None,
        currency=edition.currency,
        results=_results_text(funded, on_ballot, funded_total, edition.currency),
        latitude=latitude,
        longitude=longitude,
        links=tuple(links),
    )


def _results_text(funded: list[dict[str, Any]], on_ballot: int, total: Decimal, currency: str) -> str:
    if not funded:
        return _("No project was funded.")
    head = ngettext(
        "%(count)s project of %(on_ballot)s on the ballot was funded, for %(amount)s %(currency)s in all.",
        "%(count)s projects of %(on_ballot)s on the ballot were funded, for %(amount)s %(currency)s in all.",
        len(funded),
    ) % {
        "count": len(funded),
        "on_ballot": on_ballot,
        "amount": number_format(total, decimal_pos=0, force_grouping=True),
        "currency": currency,
    }
    names = [row["title"] for row in funded[:MOST_NAMED_PROJECTS]]
    lines = [head, "", *(f"– {name}" for name in names)]
    if len(funded) > MOST_NAMED_PROJECTS:
        lines.append(_("… and %(count)s more.") % {"count": len(funded) - MOST_NAMED_PROJECTS})
    return "\n".join(lines)
