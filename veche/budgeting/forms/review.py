"""Forms of the review queue, the decision page and appeals. They validate input only; services/review.py decides."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from veche.budgeting.choices import AppealOutcome, ProposalStatus
from veche.budgeting.models import Edition, Proposal
from veche.budgeting.module import APPEAL

QUEUE_STATUSES = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.UNDER_REVIEW,
    ProposalStatus.NEEDS_CHANGES,
    ProposalStatus.ACCEPTED,
    ProposalStatus.REJECTED,
)
# What the bulk form offers: start the review of several, or accept / reject several with one justification.
BULK_STATUSES = (ProposalStatus.UNDER_REVIEW, ProposalStatus.ACCEPTED, ProposalStatus.REJECTED)


class QueueFilterForm(forms.Form):
    """Filters of the review queue. Invalid values are reported and ignored, never a server error."""

    APPEALS = (
        ("", gettext_lazy("Any")),
        ("pending", gettext_lazy("Appeal awaiting decision")),
        ("any", gettext_lazy("With an appeal")),
        ("none", gettext_lazy("Without an appeal")),
    )
    COSTS = (
        ("", gettext_lazy("Any")),
        ("differs", gettext_lazy("Verified cost differs from the estimate")),
        ("verified", gettext_lazy("Cost verified")),
        ("unverified", gettext_lazy("Cost not yet verified")),
    )

    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    pool = forms.TypedChoiceField(label=gettext_lazy("Pool"), required=False, coerce=int, empty_value=None)
    category = forms.TypedChoiceField(label=gettext_lazy("Category"), required=False, coerce=int, empty_value=None)
    appeal = forms.ChoiceField(label=gettext_lazy("Appeal"), required=False, choices=APPEALS)
    cost = forms.ChoiceField(label=gettext_lazy("Cost"), required=False, choices=COSTS)

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_status = pgettext_lazy("status filter", "Any status")
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", any_status),
            *((status.value, status.label) for status in QUEUE_STATUSES),
        ]
        cast(forms.ChoiceField, self.fields["pool"]).choices = [
            ("", _("All pools")),
            *((pool.pk, pool.name) for pool in edition.pools.all()),
        ]
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("All categories")),
            *((category.pk, category.name) for category in edition.categories.all()),
        ]

    @property
    def active(self) -> bool:
        if not (self.is_bound and self.is_valid()):
            return False
        return any(value not in ("", None) for value in self.cleaned_data.values())


class BulkReviewForm(forms.Form):
    """One decision for several proposals of the queue; each gets its own ReviewDecision."""

    proposals = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Proposals"),
        queryset=Proposal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Select at least one proposal in the list.")},
    )
    to_status = forms.ChoiceField(label=gettext_lazy("Decision for the selected proposals"))
    justification = forms.CharField(
        label=gettext_lazy("Public justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Shown on each proposal's page. Required to accept or reject; optional to start the review."
        ),
    )

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["proposals"])
        field.queryset = Proposal.objects.filter(edition=edition).with_edition()
        cast(forms.ChoiceField, self.fields["to_status"]).choices = [
            (ProposalStatus.UNDER_REVIEW.value, _("Start the review")),
            (ProposalStatus.ACCEPTED.value, _("Accept for the ballot")),
            *([] if edition.module.allows(APPEAL) else [(ProposalStatus.REJECTED.value, _("Reject"))]),
        ]  # no new rejections during the appeals phase (services.review.rejecting_closed)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("to_status") in (ProposalStatus.ACCEPTED, ProposalStatus.REJECTED)
            and not (data.get("justification") or "").strip()
        ):
            self.add_error("justification", _("Write a public justification to accept or reject proposals."))
        return data


class DecisionForm(forms.Form):
    """The office's decision on one proposal."""

    to_status = forms.ChoiceField(label=gettext_lazy("Decision"), widget=forms.RadioSelect)
    justification = forms.CharField(
        label=gettext_lazy("Public justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Shown on the proposal's page to everyone. Explain the decision, and the verified cost if it differs "
            "from the estimate."
        ),
    )
    verified_cost = forms.DecimalField(
        label=gettext_lazy("Verified cost"),
        required=False,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text=gettext_lazy("Leave empty to keep the author's estimate (or the cost verified earlier)."),
    )

    def __init__(self, *args: Any, proposal: Proposal, targets: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        cast(forms.ChoiceField, self.fields["to_status"]).choices = [
            (status, ProposalStatus(status).label) for status in targets
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        cost = data.get("verified_cost")
        known = self.proposal.verified_cost if self.proposal.verified_cost is not None else self.proposal.cost_estimate
        if cost is not None and cost != known and not (data.get("justification") or "").strip():
            self.add_error(
                "justification", _("Explain in the justification why the verified cost differs from the estimate.")
            )
        return data


class AppealForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Grounds of the appeal"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10_000,
        help_text=gettext_lazy(
            "Why should the office change its decision? Answer its justification point by point. The appeal and its "
            "outcome are public."
        ),
    )


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        widget=forms.RadioSelect,
        choices=[
            (AppealOutcome.UPHELD.value, AppealOutcome.UPHELD.label),
            (AppealOutcome.DISMISSED.value, AppealOutcome.DISMISSED.label),
        ],
    )
    justification = forms.CharField(
        label=gettext_lazy("Public justification"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Shown on the proposal's page to everyone."),
    )
