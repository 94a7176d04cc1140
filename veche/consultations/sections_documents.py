"""The documents part's registrations, imported from ConsultationsConfig.ready(): its section of the consultation
page, Contribution as reportable content (the organisation's moderation queue), and its audit action labels."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from veche.audit.actions import register_action_labels
from veche.consultations.sections import DetailSection, register_detail_section


def documents_section(request: HttpRequest, consultation: Any) -> dict[str, Any] | None:
    """Documents with paragraph and comment counts, attachments, and the visitor's way to take part: a fixed
    number of queries (documents, attachments, and at most two for the participant)."""
    from veche.consultations.querysets_documents import attachments_of, documents_for_consultation_page
    from veche.consultations.views.documents import participation

    can_change = request.user.has_perm("consultations.change_consultation", consultation)
    documents = list(documents_for_consultation_page(consultation))
    attachments = [item for item in attachments_of(consultation) if item.document_id is None]
    if not documents and not attachments and not can_change:
        return None
    context = {"documents": documents, "attachments": attachments, "can_change": can_change}
    if documents:
        context.update(participation(request, consultation))
    return context


def _moderate_url(item: Any) -> str:
    consultation = item.consultation
    return reverse(
        "consultations:moderate",
        kwargs={"org_slug": consultation.organisation.slug, "slug": consultation.slug, "contribution_id": item.pk},
    )


def _is_visible_to(user: Any, item: Any) -> bool:
    return bool(user.has_perm("consultations.view_consultation", item.consultation))


def _reportable_queryset() -> Any:
    from django.db.models import Prefetch

    from veche.consultations.models import Contribution
    from veche.participation.models import Phase

    return Contribution.objects.select_related(
        "consultation__organisation", "consultation__module__process", "paragraph"
    ).prefetch_related(Prefetch("consultation__module__phases", queryset=Phase.objects.all()))


def register() -> None:
    from veche.consultations.documents_links import contribution_url
    from veche.consultations.models import Contribution
    from veche.contributions.registry import Reportable, register_reportable

    register_detail_section(
        DetailSection(
            key="documents", template_name="consultations/documents/_section.html", context=documents_section, order=20
        )
    )
    register_reportable(
        Reportable(
            model=Contribution,
            organisation_id=lambda item: item.consultation.organisation_id,
            excerpt=lambda item: (item.text or "")[:300],
            url=contribution_url,
            moderate_url=_moderate_url,
            queryset=_reportable_queryset,
            is_visible_to=_is_visible_to,
            is_hidden=lambda item: item.is_hidden,
        )
    )
    register_action_labels(
        {
            "consultations.document_added": _("Consultation document added"),
            "consultations.document_replaced": _("Consultation document replaced"),
            "consultations.document_deleted": _("Consultation document deleted"),
            "consultations.attachment_added": _("Consultation attachment added"),
            "consultations.attachment_deleted": _("Consultation attachment removed"),
            "consultations.codes_generated": _("One-time codes made for a consultation"),
            "consultations.contribution_hidden": _("Consultation contribution hidden"),
            "consultations.contribution_restored": _("Consultation contribution shown again"),
        }
    )


register()
