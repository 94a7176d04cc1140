"""Every change to processes, modules and phases goes through here: permission check, transaction, audit.

Texts that are stored per language (titles, summaries) are passed as mappings language code → text; languages not in
the mapping are left as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from veche.audit.services import record
from veche.core.permissions import require_permission
from veche.core.translation import language_codes
from veche.organisations.models import Organisation
from veche.participation import phases as timeline
from veche.participation.models import Module, Phase, Process
from veche.participation.registry import UnknownModuleTypeError, get_module_type

Schedule = Mapping[int, tuple[datetime | None, datetime | None]]


def _set_texts(instance: models.Model, field: str, texts: Mapping[str, str] | None) -> list[str]:
    """Write texts into the per-language columns of field; return the columns that changed."""
    changed = []
    for language, text in (texts or {}).items():
        if language not in language_codes():
            raise ValueError(f"Unknown language {language!r}.")
        column = f"{field}_{language}"
        value = (text or "").strip()
        if (getattr(instance, column) or "") != value:
            setattr(instance, column, value)
            changed.append(column)
    return changed


def _require_a_title(instance: models.Model) -> None:
    if not any(getattr(instance, f"title_{language}") for language in language_codes()):
        raise ValidationError({"title": _("Give a title in at least one language.")}, code="no_title")


def _unique_slug(organisation: Organisation, base: str) -> str:
    base = (base or "process")[:70].strip("-") or "process"
    taken = set(Process.objects.filter(organisation=organisation, slug__startswith=base).values_list("slug", flat=True))
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def create_process(
    *,
    actor: Any,
    organisation: Organisation,
    title: Mapping[str, str],
    summary: Mapping[str, str] | None = None,
    slug: str = "",
) -> Process:
    """Create an unpublished process in organisation.

    Raises PermissionDenied unless actor may add processes there, ValidationError when no language has a title or
    the slug is taken. Without a slug, one is made from the first title given. Audits.
    """
    require_permission(actor, "participation.add_process", organisation)
    process = Process(organisation=organisation, created_by=actor if actor.is_authenticated else None)
    _set_texts(process, "title", title)
    _set_texts(process, "summary", summary)
    _require_a_title(process)
    if not slug:
        first_title = next((text for text in title.values() if text), "")
        slug = _unique_slug(organisation, slugify(first_title))
    process.slug = slug
    process.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            process.save()
            record(
                actor=actor,
                action="participation.process_created",
                target=process,
                organisation=organisation,
                data={"slug": process.slug},
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"slug": _("This organisation already has a process with this address.")}, code="duplicate_slug"
        ) from exc
    return process


def update_process(
    *,
    actor: Any,
    process: Process,
    title: Mapping[str, str] | None = None,
    summary: Mapping[str, str] | None = None,
    slug: str | None = None,
) -> Process:
    """Change a process's texts or address. Raises PermissionDenied unless actor may change it, ValidationError for
    a missing title or a taken slug. Audits the columns that changed (nothing is recorded when nothing changed)."""
    require_permission(actor, "participation.change_process", process)
    changed = _set_texts(process, "title", title) + _set_texts(process, "summary", summary)
    if slug is not None and slug != process.slug:
        process.slug = slug
        changed.append("slug")
    if not changed:
        return process
    _require_a_title(process)
    process.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            process.save()
            record(actor=actor, action="participation.process_updated", target=process, data={"fields": changed})
    except IntegrityError as exc:
        raise ValidationError(
            {"slug": _("This organisation already has a process with this address.")}, code="duplicate_slug"
        ) from exc
    return process


def publishing_problems(process: Process) -> list[str]:
    """What the process's modules say must be done before it is published (ModuleType.publishing_problems), each
    message prefixed with its module's title; empty when it may be published."""
    problems = []
    for module in Module.objects.filter(process=process):
        module_type = module.type
        if module_type is None or module_type.publishing_problems is None:
            continue
        name = module.title or module_type.name
        problems += [
            _("%(module)s: %(problem)s") % {"module": name, "problem": problem}
            for problem in module_type.publishing_problems(module)
        ]
    return problems


def _set_published(*, actor: Any, process: Process, published: bool) -> Process:
    require_permission(actor, "participation.change_process", process)
    with transaction.atomic():
        locked = Process.objects.select_for_update().get(pk=process.pk)
        if locked.is_published == published:
            process.is_published = published
            return process
        problems = publishing_problems(process) if published else []
        if problems:
            raise ValidationError(
                {"is_published": [ValidationError(problem, code="not_ready") for problem in problems]}
            )
        Process.objects.filter(pk=process.pk).update(is_published=published)
        process.is_published = published
        action = "participation.process_published" if published else "participation.process_unpublished"
        record(actor=actor, action=action, target=process)
    return process


def publish_process(*, actor: Any, process: Process) -> Process:
    """Make the process visible to everyone. Raises ValidationError (on "is_published", one message per problem)
    while a module is not ready (publishing_problems), PermissionDenied. Idempotent: publishing a published
    process records nothing and checks nothing."""
    return _set_published(actor=actor, process=process, published=True)


def unpublish_process(*, actor: Any, process: Process) -> Process:
    """Hide the process from everyone but its organisation's staff. Idempotent."""
    return _set_published(actor=actor, process=process, published=False)


def add_module(*, actor: Any, process: Process, module_type: str, title: Mapping[str, str] | None = None) -> Module:
    """Append a module of a registered type to process, with one unscheduled phase per phase its type declares.

    Raises PermissionDenied unless actor may change the process, ValidationError for an unregistered type. Without a
    title, the module is titled with the type's name in every language. Audits.
    """
    require_permission(actor, "participation.change_process", process)
    try:
        declared = get_module_type(module_type)
    except UnknownModuleTypeError:
        raise ValidationError(
            {"module_type": _("There is no module type %(key)s.") % {"key": module_type}}, code="unknown_module_type"
        ) from None
    module = Module(process=process, module_type=declared.key)
    if title and any(title.values()):
        _set_texts(module, "title", title)
    else:
        for language in language_codes():
            with translation.override(language):
                setattr(module, f"title_{language}", str(declared.name))
    with transaction.atomic():
        Process.objects.select_for_update().filter(pk=process.pk).first()
        last = process.modules.aggregate(last=models.Max("weight"))["last"]
        module.weight = 0 if last is None else last + 1
        module.save()
        Phase.objects.bulk_create(
            Phase(module=module, phase_type=phase_type.key, weight=index)
            for index, phase_type in enumerate(declared.phases)
        )
        if declared.on_module_added is not None:
            declared.on_module_added(module=module, actor=actor)
        record(
            actor=actor,
            action="participation.module_added",
            target=module,
            organisation=process.organisation_id,
            data={"process": process.pk, "module_type": declared.key},
        )
    return module


def _problem_message(problem: timeline.TimelineProblem, names: Mapping[str, Any]) -> str:
    name, other = names.get(problem.key, problem.key), names.get(problem.other or "", problem.other)
    messages = {
        timeline.ProblemCode.HALF_SCHEDULED: _("%(phase)s: give both a start and an end, or neither."),
        timeline.ProblemCode.END_NOT_AFTER_START: _("%(phase)s: the end must be after the start."),
        timeline.ProblemCode.OVERLAP: _("%(phase)s overlaps %(other)s."),
        timeline.ProblemCode.OUT_OF_ORDER: _("%(phase)s must come after %(other)s."),
    }
    return messages[problem.code] % {"phase": name, "other": other}


def schedule_phases(*, actor: Any, module: Module, schedule: Schedule) -> list[Phase]:
    """Set the dates of some of a module's phases at once (phase id → (start, end); (None, None) unschedules).

    The whole resulting timeline must be valid (phases.timeline_problems): both dates or neither, end after start,
    in the declared order, no overlaps. Raises ValidationError listing every problem, PermissionDenied unless actor
    may change the process. Locks the module's phases while it checks and writes. Audits each changed phase.
    """
    process = module.process
    require_permission(actor, "participation.change_process", process)
    with transaction.atomic():
        phases = list(Phase.objects.select_for_update().filter(module=module).order_by("weight", "id"))
        for phase in phases:
            phase.module = module
        by_id = {phase.pk: phase for phase in phases}
        unknown = set(schedule) - set(by_id)
        if unknown:
            raise ValidationError(_("These phases do not belong to this module."), code="foreign_phase")
        before = {phase.pk: (phase.starts_at, phase.ends_at) for phase in phases}
        for phase_id, (starts_at, ends_at) in schedule.items():
            by_id[phase_id].starts_at, by_id[phase_id].ends_at = starts_at, ends_at
        problems = timeline.timeline_problems(phase.span for phase in phases)
        if problems:
            module_type = module.type
            names = {phase.key: phase.name for phase in module_type.phases} if module_type else {}
            raise ValidationError([_problem_message(problem, names) for problem in problems], code="invalid_timeline")
        changed = []
        for phase_id in schedule:
            phase = by_id[phase_id]
            if (phase.starts_at, phase.ends_at) == before[phase_id]:
                continue
            changed.append(phase)
            record(
                actor=actor,
                action="participation.phase_scheduled",
                target=phase,
                organisation=process.organisation_id,
                data={
                    "module": module.pk,
                    "phase_type": phase.phase_type,
                    "before": [_iso(moment) for moment in before[phase_id]],
                    "after": [_iso(phase.starts_at), _iso(phase.ends_at)],
                },
            )
        Phase.objects.bulk_update(changed, ["starts_at", "ends_at"])
    return phases


def schedule_phase(*, actor: Any, phase: Phase, starts_at: datetime | None, ends_at: datetime | None) -> Phase:
    """Set one phase's dates; the same checks as schedule_phases."""
    schedule_phases(actor=actor, module=phase.module, schedule={phase.pk: (starts_at, ends_at)})
    phase.starts_at, phase.ends_at = starts_at, ends_at
    return phase


def delete_module(*, actor: Any, module: Module) -> None:
    """Delete a module and its phases. Raises PermissionDenied unless actor may change the process. Audits, keeping
    the module's title and type in the entry since the row is gone afterwards."""
    process = module.process
    require_permission(actor, "participation.change_process", process)
    with transaction.atomic():
        record(
            actor=actor,
            action="participation.module_deleted",
            target=module,
            organisation=process.organisation_id,
            data={"process": process.pk, "module_type": module.module_type},
        )
        module.delete()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
