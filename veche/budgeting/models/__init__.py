"""The budgeting app's models, split by stage: edition set-up, proposals, voting, results and implementation."""

from veche.budgeting.models.edition import Category, Edition, Pool
from veche.budgeting.models.proposals import (
    Appeal,
    CostItem,
    Proposal,
    ProposalImage,
    ProposalRevision,
    ReviewDecision,
    Signature,
)
from veche.budgeting.models.results import Implementation, ImplementationUpdate, PoolResult
from veche.budgeting.models.voting import Ballot, PaperBatch, ResidentEntry, VoterRecord, VotingCode

__all__ = [
    "Appeal",
    "Ballot",
    "Category",
    "CostItem",
    "Edition",
    "Implementation",
    "ImplementationUpdate",
    "PaperBatch",
    "Pool",
    "PoolResult",
    "Proposal",
    "ProposalImage",
    "ProposalRevision",
    "ResidentEntry",
    "ReviewDecision",
    "Signature",
    "VoterRecord",
    "VotingCode",
]
