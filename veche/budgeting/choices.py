"""Fixed vocabularies of participatory budgeting."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BallotType(models.TextChoices):
    APPROVAL = "approval", _("Approval: choose up to a number of projects")
    KNAPSACK = "knapsack", _("Budget-limited approval: choose projects that fit the budget")
    CUMULATIVE = "cumulative", _("Cumulative: share out points")
    RANKING = "ranking", _("Ranking: order projects by preference")


class Eligibility(models.TextChoices):
    ACCOUNT = "account", _("Any person with a verified account")
    MINIMUM_AGE = "minimum_age", _("People of at least a minimum age (declared when voting)")
    RESIDENTS = "residents", _("People on the residents' list uploaded by the office")


class CountingRule(models.TextChoices):
    GREEDY = "greedy", _("Most votes first, skipping what no longer fits")
    GREEDY_NO_SKIP = "greedy-no-skip", _("Most votes first, stopping at the first project that does not fit")
    GREEDY_THRESHOLD = "greedy-threshold", _("Most votes first, among projects with a minimum support")
    MES = "mes", _("Method of Equal Shares")
    PHRAGMEN = "phragmen", _("Sequential Phragmén")


class Completion(models.TextChoices):
    NONE = "none", _("None")
    ADD1 = "add1", _("Raise each voter's share by one unit until the outcome is exhaustive")
    ADD1_LAST_FEASIBLE = "add1-last-feasible", _("Raise each voter's share while the outcome fits the budget")


class TieBreakKind(models.TextChoices):
    ID = "id", _("Smallest project number")
    COST_VOTES = "cost-votes", _("Lowest cost, then most votes")
    VOTES_COST = "votes-cost", _("Most votes, then lowest cost")


class PoolKind(models.TextChoices):
    CITYWIDE = "citywide", _("Citywide")
    DISTRICT = "district", _("District")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    NEEDS_CHANGES = "needs_changes", _("Needs changes")
    ACCEPTED = "accepted", _("On the ballot")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    UPHELD = "upheld", _("Upheld: the proposal goes on the ballot")
    DISMISSED = "dismissed", _("Dismissed: the decision stands")


class VoteChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    CODE = "code", _("Voting code")
    PAPER = "paper", pgettext_lazy("ballot channel", "Paper")


class ImplementationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DESIGN = "design", _("Design")
    TENDER = "tender", _("Tender")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class EditionSource(models.TextChoices):
    RUN_ON_VECHE = "veche", _("Run on veche")
    PABULIB = "pabulib", _("Imported from a Pabulib file")
