"""Creating a consultation: either in one step from the organisation (a process with one consultation module), or
when a coordinator adds a consultations module to an existing process."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from veche.audit.services import record
from veche.consultations.models import Consultation, ConsultationTargetGroup
from veche.consultations.module import CONSULTATION
from veche.consultations.services.standards import standard_set_for
from veche.core.permissions import require_permission
from veche.core.translation import language_codes
from veche.participation.services import add_module, create_process


def _unique_slug(organisation: Any, base: str) -> str:
    base = (base or "consultation")[:70]
    taken = set(
        Consultation.objects.filter(organisation=organisation, slug__startswith=base).values_list("slug", flat=True)
    )
    slug, counter = base, 2
    while slug in taken:
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def attach_consultation(*, module: Any, actor: Any, subject: str = "", language: str = "") -> Consultation:
    """Create the consultation row of a new consultations module (called inside add_module's transaction).

    The subject defaults to the module's title; the standard is the organisation's (or the platform's default).
    """
    organisation = module.process.organisation
    subject = subject or module.title or str(CONSULTATION.name)
    language = language if language in language_codes() else language_codes()[0]
    consultation = Consultation.objects.create(
        module=module,
        organisation=organisation,
        slug=_unique_slug(organisation, slugify(subject)),
        language=language,
        subject=subject,
        summary="",
        standard_set=standard_set_for(organisation),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return consultation


def create_consultation(
    *,
    actor: Any,
    organisation: Any,
    subject: str,
    summary: str,
    language: str,
    target_groups: Iterable[str] = (),
    **fields: Any,
) -> Consultation:
    """Create an unpublished process holding one consultation, with its subject and summary.

    Raises PermissionDenied unless actor may add processes in organisation (coordinators and administrators) and
    ValidationError for a missing subject or summary. The timeline is set separately (set-up service), because it
    may need the coordinator's confirmation. Audits.
    """
    from django.core.exceptions import ValidationError

    require_permission(actor, "participation.add_process", organisation)
    errors = {}
    if not (subject or "").strip():
        errors["subject"] = _("Give the consultation a subject.")
    if not (summary or "").strip():
        errors["summary"] = _("Write a plain-language summary: what is decided and why residents' views matter.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        process = create_process(actor=actor, organisation=organisation, title={language: subject.strip()})
        module = add_module(actor=actor, process=process, module_type=CONSULTATION.key, title={language: subject})
        consultation = module.consultation
        consultation.subject = subject.strip()
        consultation.summary = summary.strip()
        consultation.language = language
        for name, value in fields.items():
            setattr(consultation, name, value)
        try:
            consultation.save()
        except IntegrityError as exc:  # pragma: no cover - slugs are made unique above
            raise ValidationError({"slug": _("This address is taken.")}) from exc
        ConsultationTargetGroup.objects.bulk_create(
            ConsultationTargetGroup(consultation=consultation, group=group) for group in dict.fromkeys(target_groups)
        )
        record(
            actor=actor,
            action="consultations.consultation_created",
            target=consultation,
            organisation=organisation,
            data={"slug": consultation.slug},
        )
    return consultation
