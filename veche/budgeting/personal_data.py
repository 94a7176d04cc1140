"""Budget proposals and support signatures in "download my data" and "delete my account".

The export lists the proposals a person wrote or co-wrote and the proposals they signed. Erasure removes their
signatures and co-authorships and deletes their drafts that nobody else can see (never published, no co-authors);
their published proposals stay, with no author ("Deleted account"): the office decided on them publicly.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from veche.budgeting.choices import ProposalStatus
from veche.budgeting.models import Proposal, Signature


def export_proposals(user: Any) -> dict[str, Any]:
    proposals = (
        Proposal.objects.filter(Q(author=user) | Q(co_authors=user))
        .distinct()
        .select_related("edition__module", "pool", "category")
        .prefetch_related("cost_items")
        .order_by("pk")
    )
    signatures = Signature.objects.filter(user=user).select_related("proposal__edition__module").order_by("pk")
    return {
        "proposals": [
            {
                "edition": str(proposal.edition),
                "number": proposal.number,
                "role": "author" if proposal.author_id == user.pk else "co-author",
                "title": proposal.title,
                "summary": proposal.summary,
                "description": proposal.description,
                "pool": proposal.pool.name,
                "category": proposal.category.name if proposal.category else "",
                "cost_estimate": str(proposal.cost_estimate),
                "cost_items": [[item.description, str(item.amount)] for item in proposal.cost_items.all()],
                "latitude": str(proposal.latitude) if proposal.latitude is not None else None,
                "longitude": str(proposal.longitude) if proposal.longitude is not None else None,
                "address": proposal.address,
                "status": proposal.status,
                "created_at": proposal.created_at.isoformat(),
                "submitted_at": proposal.submitted_at.isoformat() if proposal.submitted_at else None,
            }
            for proposal in proposals
        ],
        "signatures": [
            {
                "edition": str(signature.proposal.edition),
                "proposal_number": signature.proposal.number,
                "proposal_title": signature.proposal.title,
                "signed_at": signature.created_at.isoformat(),
            }
            for signature in signatures
        ],
    }


def erase_proposals(user: Any) -> None:
    Signature.objects.filter(user=user).delete()
    Proposal.co_authors.through.objects.filter(user=user).delete()
    Proposal.objects.filter(author=user, status=ProposalStatus.DRAFT, co_authors__isnull=True).delete()
    Proposal.objects.filter(author=user).update(author=None)
