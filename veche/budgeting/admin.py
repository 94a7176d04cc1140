"""Admin for participatory budgeting — for platform operators, to look things up.

Object permissions come from the same django-rules predicates as the site (rules' ObjectPermissionsModelAdmin). Every
change that the site makes through a service (proposal statuses, review decisions, appeals, votes, results) is
read-only here, with a link to the site page that calls the service; the only action, "Start the review", calls
services.review.decide like the review queue does. The ballot box and the register of voters can never be edited,
added to or deleted from here, and no bulk delete is offered anywhere (it would bypass the services and the audit log).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rules.contrib.admin import ObjectPermissionsModelAdmin
from rules.permissions import perm_exists

from veche.budgeting.choices import ProposalStatus
from veche.budgeting.models import (
    Appeal,
    Ballot,
    Category,
    CostItem,
    Edition,
    Implementation,
    ImplementationUpdate,
    PaperBatch,
    Pool,
    PoolResult,
    Proposal,
    ProposalImage,
    ProposalRevision,
    ResidentEntry,
    ReviewDecision,
    Signature,
    VoterRecord,
    VotingCode,
)
from veche.budgeting.querysets import ProposalQuerySet


class ReadOnlyAdminMixin:
    """Nothing added, changed or deleted through the admin: the site's services do that (and audit it)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)  # type: ignore[misc]
        actions.pop("delete_selected", None)
        return actions


class ReadOnlyAdmin(ReadOnlyAdminMixin, ObjectPermissionsModelAdmin):
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """The rule (budgeting.view_edition, view_proposal) where there is one, else the model permission — not
        rules' fallback to the change permission, which is always refused here."""
        perm = f"{self.opts.app_label}.{get_permission_codename('view', self.opts)}"
        if perm_exists(perm):
            return bool(request.user.has_perm(perm, obj))
        return admin.ModelAdmin.has_view_permission(self, request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields] + list(self.readonly_fields)


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True


def site_link(url: str, label: Any) -> str:
    return format_html('<a href="{}">{}</a>', url, label)


# --- editions --------------------------------------------------------------------------------------------------
class PoolInline(ReadOnlyTabularInline):
    model = Pool
    fields = ("name", "kind", "budget", "weight")
    readonly_fields = fields


class CategoryInline(ReadOnlyTabularInline):
    model = Category
    fields = ("name", "weight")
    readonly_fields = fields


@admin.register(Edition)
class EditionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "organisation_name", "total_budget", "currency", "ballot_type", "counting_rule")
    list_filter = ("ballot_type", "counting_rule", "eligibility", "source", "secret_ballot")
    search_fields = ("module__title", "module__process__title", "module__process__organisation__slug")
    list_select_related = ("module__process__organisation",)
    readonly_fields = ("site_links",)
    exclude = ("residents_salt",)
    inlines = (PoolInline, CategoryInline)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [name for name in super().get_readonly_fields(request, obj) if name != "residents_salt"]

    @admin.display(description=_("Organisation"))
    def organisation_name(self, obj: Edition) -> str:
        return str(obj.module.process.organisation)

    @admin.display(description=_("On the site"))
    def site_links(self, obj: Edition) -> str:
        return format_html(
            "{} · {}",
            site_link(obj.get_absolute_url(), _("Open the edition")),
            site_link(reverse("budgeting:review_queue", kwargs={"edition_id": obj.pk}), _("Review queue")),
        )


@admin.register(Pool)
class PoolAdmin(ReadOnlyAdmin):
    list_display = ("name", "edition", "kind", "budget")
    list_filter = ("kind",)
    search_fields = ("name", "edition__module__title")
    list_select_related = ("edition__module",)


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ("name", "edition", "weight")
    search_fields = ("name", "edition__module__title")
    list_select_related = ("edition__module",)


# --- proposals -------------------------------------------------------------------------------------------------
class CostItemInline(ReadOnlyTabularInline):
    model = CostItem
    fields = ("description", "amount", "weight")
    readonly_fields = fields
    show_change_link = False


class ProposalImageInline(ReadOnlyTabularInline):
    model = ProposalImage
    fields = ("image", "alt_text", "weight")
    readonly_fields = fields
    show_change_link = False


class ReviewDecisionInline(ReadOnlyTabularInline):
    model = ReviewDecision
    fields = ("created_at", "from_status", "to_status", "verified_cost", "justification", "decided_by")
    readonly_fields = fields
    ordering = ("created_at", "id")


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "edition", "pool", "status", "cost_estimate", "verified_cost", "submitted_at")
    list_display_links = ("number", "title")
    list_filter = ("status", "pool__kind")
    search_fields = ("title", "number", "external_id", "edition__module__title")
    list_select_related = ("edition__module", "pool")
    readonly_fields = ("site_links",)
    exclude = ("co_authors",)
    inlines = (CostItemInline, ProposalImageInline, ReviewDecisionInline)
    actions = ("start_review",)

    @admin.display(description=_("On the site"))
    def site_links(self, obj: Proposal) -> str:
        review = reverse("budgeting:review_proposal", kwargs={"edition_id": obj.edition_id, "number": obj.number})
        return format_html(
            "{} · {}",
            site_link(obj.get_absolute_url(), _("Open the proposal")),
            site_link(review, _("Review it")),
        )

    def has_review_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    @admin.action(description=_("Start the review of the selected proposals"), permissions=["review"])
    def start_review(self, request: HttpRequest, queryset: QuerySet[Proposal]) -> None:
        """The same service as the review queue's bulk action: each proposal is checked, recorded and audited."""
        from veche.budgeting.services.review import decide_many

        outcome = decide_many(
            actor=request.user,
            proposals=cast(ProposalQuerySet, queryset).with_edition(),
            to_status=ProposalStatus.UNDER_REVIEW,
        )
        for proposal, reason in outcome.refused:
            self.message_user(request, f"{proposal.number} {proposal}: {reason}", messages.ERROR)
        done = len(outcome.decisions)
        self.message_user(
            request,
            ngettext("%(count)d proposal is now under review.", "%(count)d proposals are now under review.", done)
            % {"count": done},
        )


@admin.register(CostItem)
class CostItemAdmin(ReadOnlyAdmin):
    list_display = ("description", "proposal", "amount")
    search_fields = ("description", "proposal__title")
    list_select_related = ("proposal",)


@admin.register(ProposalImage)
class ProposalImageAdmin(ReadOnlyAdmin):
    list_display = ("alt_text", "proposal")
    search_fields = ("alt_text", "proposal__title")
    list_select_related = ("proposal",)


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "from_status", "to_status", "verified_cost", "created_at")
    list_filter = ("to_status",)
    search_fields = ("proposal__title", "justification")
    list_select_related = ("proposal",)
    date_hierarchy = "created_at"


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "outcome", "created_at", "decided_at")
    list_filter = ("outcome",)
    search_fields = ("proposal__title", "text", "outcome_justification")
    list_select_related = ("proposal",)


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "created_at")
    search_fields = ("proposal__title",)
    list_select_related = ("proposal",)


@admin.register(ProposalRevision)
class ProposalRevisionAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "number", "created_at")
    search_fields = ("proposal__title",)
    list_select_related = ("proposal",)


# --- voting: never editable ----------------------------------------------------------------------------------
@admin.register(ResidentEntry)
class ResidentEntryAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "edition", "district")
    list_select_related = ("edition__module", "district")


@admin.register(VotingCode)
class VotingCodeAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "edition", "batch", "created_at", "revoked")
    list_filter = ("revoked",)
    search_fields = ("batch",)
    list_select_related = ("edition__module",)


@admin.register(PaperBatch)
class PaperBatchAdmin(ReadOnlyAdmin):
    list_display = ("label", "edition", "sheets", "created_at", "closed_at")
    search_fields = ("label",)
    list_select_related = ("edition__module",)


@admin.register(VoterRecord)
class VoterRecordAdmin(ReadOnlyAdmin):
    """The register: who voted in which pool (no link to the ballot)."""

    list_display = ("pool", "channel", "voted_on")
    list_filter = ("channel", "pool_kind")
    list_select_related = ("pool",)


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    """The ballot box. The voter's key (kept for open ballots only) is not shown here."""

    list_display = ("receipt", "pool", "channel")
    list_filter = ("channel",)
    search_fields = ("receipt",)
    list_select_related = ("pool",)
    exclude = ("voter_key",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [name for name in super().get_readonly_fields(request, obj) if name != "voter_key"]


# --- results and implementation ------------------------------------------------------------------------------
@admin.register(PoolResult)
class PoolResultAdmin(ReadOnlyAdmin):
    list_display = ("pool", "ballots", "counted_at")
    list_select_related = ("pool",)


class ImplementationUpdateInline(ReadOnlyTabularInline):
    model = ImplementationUpdate
    fields = ("created_at", "status", "progress", "text")
    readonly_fields = fields
    show_change_link = False


@admin.register(Implementation)
class ImplementationAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "status", "progress", "updated_at")
    list_filter = ("status",)
    search_fields = ("proposal__title",)
    list_select_related = ("proposal",)
    exclude = ("followers",)
    inlines = (ImplementationUpdateInline,)


@admin.register(ImplementationUpdate)
class ImplementationUpdateAdmin(ReadOnlyAdmin):
    list_display = ("implementation", "status", "progress", "created_at")
    list_filter = ("status",)
    list_select_related = ("implementation__proposal",)
