"""Every change to a case: writing, submitting, the editors' review, proposed changes to a published case, taking a
case off the map, photos, and drafting a case from a process finished on veche.

Each service checks the acting user's permission (rules.py), runs in one transaction, keeps a CaseRevision of every
saved version, audits the editors' decisions, notifies on commit, and invalidates the map's cached GeoJSON when what
the map shows changes. Review decisions lock the case row, so two editors deciding at once cannot both succeed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veche.audit.services import record
from veche.cases import geo
from veche.cases.choices import CaseStatus, Decision, RevisionKind
from veche.cases.geojson import invalidate_map
from veche.cases.membership import EDITOR_ROLES, is_editor
from veche.cases.models import Case, CasePhoto, CaseRevision
from veche.core.models import Method, Topic
from veche.core.permissions import require_permission
from veche.notifications.services import notify, translatable

MAX_PHOTOS = 12


@dataclass(frozen=True)
class CaseInput:
    """The text of a case, as the form, the API, the demo and the revision history hold it."""

    title: str
    summary: str
    municipality: str
    country: str
    latitude: Decimal | None
    longitude: Decimal | None
    started_on: dt.date | None
    methods: tuple[str, ...]
    organiser: str
    language: str = "en"
    region: str = ""
    area: dict[str, Any] | None = None
    ended_on: dt.date | None = None
    topics: tuple[str, ...] = ()
    organisation_id: int | None = None
    participants: int | None = None
    participants_note: str = ""
    budget: Decimal | None = None
    currency: str = ""
    results: str = ""
    changes: str = ""
    lessons: str = ""
    links: tuple[tuple[str, str], ...] = ()

    def to_data(self) -> dict[str, Any]:
        """JSON for CaseRevision.data."""
        data = dataclasses.asdict(self)
        for key in ("latitude", "longitude", "budget"):
            data[key] = str(data[key]) if data[key] is not None else None
        for key in ("started_on", "ended_on"):
            data[key] = data[key].isoformat() if data[key] else None
        data["methods"] = list(self.methods)
        data["topics"] = list(self.topics)
        data["links"] = [list(link) for link in self.links]
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> CaseInput:
        names = {item.name for item in dataclasses.fields(cls)}
        values = {key: value for key, value in data.items() if key in names}
        for key in ("latitude", "longitude", "budget"):
            values[key] = _decimal(values.get(key))
        for key in ("started_on", "ended_on"):
            values[key] = dt.date.fromisoformat(values[key]) if values.get(key) else None
        values["methods"] = tuple(values.get("methods") or ())
        values["topics"] = tuple(values.get("topics") or ())
        values["links"] = tuple(tuple(link) for link in values.get("links") or ())
        return cls(**values)

    @classmethod
    def from_case(cls, case: Case) -> CaseInput:
        """The case's current text (methods and topics prefetched or one query each)."""
        return cls(
            title=case.title,
            summary=case.summary,
            language=case.language,
            municipality=case.municipality,
            region=case.region,
            country=case.country,
            latitude=case.latitude,
            longitude=case.longitude,
            area=case.area,
            started_on=case.started_on,
            ended_on=case.ended_on,
            methods=tuple(sorted(method.slug for method in case.methods.all())),
            topics=tuple(sorted(topic.slug for topic in case.topics.all())),
            organisation_id=case.organisation_id,
            organiser=case.organiser,
            participants=case.participants,
            participants_note=case.participants_note,
            budget=case.budget,
            currency=case.currency,
            results=case.results,
            changes=case.changes,
            lessons=case.lessons,
            links=tuple((label, url) for label, url in case.links),
        )


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def missing_for_review(case: Case) -> list[str]:
    """What a case needs before it can be submitted (a draft made from a process may lack its point or dates)."""
    missing = []
    if case.latitude is None or case.longitude is None:
        missing.append(str(gettext_lazy("a point on the map")))
    if case.started_on is None:
        missing.append(str(gettext_lazy("when it started")))
    if not case.methods.exists():
        missing.append(str(gettext_lazy("the methods used")))
    if not case.summary.strip():
        missing.append(str(gettext_lazy("a summary")))
    return missing


def validate_input(data: CaseInput) -> None:
    """The rules every way in shares (the form checks most of them first, with the same messages)."""
    errors: dict[str, ValidationError] = {}
    if (data.latitude is None) != (data.longitude is None):
        errors["latitude"] = ValidationError(_("Give both the latitude and the longitude."), code="half_point")
    elif data.latitude is not None and not geo.valid_point(float(data.latitude), float(data.longitude)):
        errors["latitude"] = ValidationError(_("This point is not on Earth."), code="bad_point")
    if data.started_on and data.ended_on and data.ended_on < data.started_on:
        errors["ended_on"] = ValidationError(_("The end is before the start."), code="ends_before_start")
    if data.budget is not None and not data.currency:
        errors["currency"] = ValidationError(_("Say in which currency the budget is."), code="currency_needed")
    if data.area is not None:
        try:
            geo.normalise_geometry(data.area)
        except geo.AreaError:
            errors["area"] = ValidationError(_("The area is not a valid GeoJSON polygon."), code="bad_area")
    unknown = set(data.methods) - set(Method.objects.filter(slug__in=data.methods).values_list("slug", flat=True))
    if unknown:
        errors["methods"] = ValidationError(_("Unknown method."), code="unknown_method")
    unknown = set(data.topics) - set(Topic.objects.filter(slug__in=data.topics).values_list("slug", flat=True))
    if unknown:
        errors["topics"] = ValidationError(_("Unknown topic."), code="unknown_topic")
    if errors:
        raise ValidationError(errors)


def _apply(case: Case, data: CaseInput) -> None:
    """Write data onto case and save it with its methods and topics."""
    for name in (
        "title",
        "summary",
        "language",
        "municipality",
        "region",
        "country",
        "latitude",
        "longitude",
        "area",
        "started_on",
        "ended_on",
        "organisation_id",
        "organiser",
        "participants",
        "participants_note",
        "budget",
        "currency",
        "results",
        "changes",
        "lessons",
    ):
        setattr(case, name, getattr(data, name))
    case.links = [list(link) for link in data.links]
    case.year = data.started_on.year if data.started_on else None
    case.save()
    case.methods.set(Method.objects.filter(slug__in=data.methods))
    case.topics.set(Topic.objects.filter(slug__in=data.topics))


def _revise(
    case: Case, *, actor: Any, kind: str, data: dict[str, Any], note: str = "", pending: bool = False
) -> CaseRevision:
    """Append a version; the case row is locked (or new), so numbers never collide."""
    case.version += 1
    Case.objects.filter(pk=case.pk).update(version=case.version)
    return CaseRevision.objects.create(
        case=case,
        number=case.version,
        kind=kind,
        data=data,
        note=note,
        is_pending=pending,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _editors(network_id: int) -> list[Any]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(
        roles__organisation_id=network_id, roles__kind__in=EDITOR_ROLES, is_active=True
    )
    return list(users.distinct())


def _tell_editors(case: Case, title: Any) -> None:
    notify(recipients=_editors(case.network_id), kind="cases.review_needed", title=title, url=_review_url(case))


def _tell_author(case: Case, title: Any, body: Any = "") -> None:
    if case.author_id:
        notify(recipients=[case.author], kind="cases.reviewed", title=title, body=body, url=case.get_absolute_url())


def _review_url(case: Case) -> str:
    from django.urls import reverse

    return reverse("cases:review", kwargs={"pk": case.pk})


# --- writing -------------------------------------------------------------------------------------------------------


def create_case(*, actor: Any, network: Any, data: CaseInput, source_module: Any = None, source_url: str = "") -> Case:
    """A new draft case by actor in network. Raises PermissionDenied unless actor may add cases to the network,
    ValidationError for invalid data. Keeps the first version."""
    require_permission(actor, "cases.add_case", network)
    return _create(actor=actor, network=network, data=data, source_module=source_module, source_url=source_url)


def _create(*, actor: Any, network: Any, data: CaseInput, source_module: Any, source_url: str) -> Case:
    if not getattr(network, "is_network", False):
        raise ValidationError({"network": ValidationError(_("Cases belong to a network."), code="not_a_network")})
    validate_input(data)
    with transaction.atomic():
        case = Case(network=network, author=actor, source_module=source_module, source_url=source_url)
        try:
            with transaction.atomic():
                _apply(case, data)
        except IntegrityError as error:
            raise ValidationError(
                _("This process is already a case on this network's map."), code="already_on_map"
            ) from error
        _revise(case, actor=actor, kind=RevisionKind.CREATED, data=data.to_data())
    return case


def update_case(*, actor: Any, case: Case, data: CaseInput, note: str = "") -> Case:
    """Save new text. A draft, returned or submitted case changes at once. A published case changes at once when an
    editor edits it; its author's changes wait for review as a pending version (replacing an earlier pending one),
    and the map keeps showing the published text meanwhile. Returns the case (reloaded)."""
    require_permission(actor, "cases.change_case", case)
    validate_input(data)
    with transaction.atomic():
        case = _locked(case)
        if case.status == CaseStatus.PUBLISHED and not is_editor(actor, case.network_id):
            CaseRevision.objects.filter(case=case, is_pending=True).update(is_pending=False)
            _revise(case, actor=actor, kind=RevisionKind.PROPOSED, data=data.to_data(), note=note, pending=True)
            transaction.on_commit(
                partial(
                    _tell_editors,
                    case,
                    translatable(gettext_lazy("Changes to “%(title)s” wait for review"), title=case.title),
                )
            )
            return case
        _apply(case, data)
        _revise(case, actor=actor, kind=RevisionKind.EDITED, data=data.to_data(), note=note)
        if case.status == CaseStatus.PUBLISHED:
            record(actor=actor, action="cases.case_edited", target=case, organisation=case.network_id)
            transaction.on_commit(invalidate_map)
    return case


def submit_case(*, actor: Any, case: Case) -> Case:
    """Send a draft or returned case to the network's editors. ValidationError (code incomplete) when something the
    map needs is missing; notifies the editors on commit."""
    require_permission(actor, "cases.submit_case", case)
    with transaction.atomic():
        case = _locked(case)
        if case.status not in (CaseStatus.DRAFT, CaseStatus.RETURNED):
            raise ValidationError(_("This case has already been submitted."), code="not_a_draft")
        missing = missing_for_review(case)
        if missing:
            raise ValidationError(
                _("Before submitting, add %(missing)s."), params={"missing": ", ".join(missing)}, code="incomplete"
            )
        case.status = CaseStatus.SUBMITTED
        case.submitted_at = timezone.now()
        case.save(update_fields=["status", "submitted_at", "updated_at"])
        _revise(case, actor=actor, kind=RevisionKind.SUBMITTED, data=_current(case))
        transaction.on_commit(
            partial(_tell_editors, case, translatable(gettext_lazy("“%(title)s” waits for review"), title=case.title))
        )
    return case


def _current(case: Case) -> dict[str, Any]:
    return CaseInput.from_case(case).to_data()


def delete_case(*, actor: Any, case: Case) -> None:
    """Delete a case: its author while it is a draft or returned, an editor at any time (audited)."""
    require_permission(actor, "cases.delete_case", case)
    with transaction.atomic():
        case = _locked(case)
        was_published = case.status == CaseStatus.PUBLISHED
        if is_editor(actor, case.network_id) or getattr(actor, "is_superuser", False):
            record(actor=actor, action="cases.case_deleted", target=case, organisation=case.network_id)
        for photo in case.photos.all():
            transaction.on_commit(partial(photo.image.storage.delete, photo.image.name))
        case.delete()
        if was_published:
            transaction.on_commit(invalidate_map)


# --- review --------------------------------------------------------------------------------------------------------


def decide_case(*, actor: Any, case: Case, decision: str, note: str = "") -> Case:
    """An editor publishes a submitted case or returns it to its author with a message (needed to return).

    Locks the case: when two editors decide at once the second gets ValidationError (code already_decided).
    Audits, tells the author on commit; publishing puts the case on the map (the cached GeoJSON is invalidated)."""
    require_permission(actor, "cases.review_case", case)
    decision = Decision(decision)
    note = note.strip()
    if decision == Decision.RETURN and not note:
        raise ValidationError({"note": ValidationError(_("Tell the author what to change."), code="note_needed")})
    with transaction.atomic():
        case = _locked(case)
        if case.status != CaseStatus.SUBMITTED:
            raise ValidationError(
                _("This case is no longer waiting for review; someone has decided already."), code="already_decided"
            )
        now = timezone.now()
        case.reviewed_by = actor
        case.review_note = note
        if decision == Decision.PUBLISH:
            case.status = CaseStatus.PUBLISHED
            case.published_at = case.published_at or now
            kind, action = RevisionKind.PUBLISHED, "cases.case_published"
            title = translatable(gettext_lazy("Your case “%(title)s” is on the map"), title=case.title)
        else:
            case.status = CaseStatus.RETURNED
            kind, action = RevisionKind.RETURNED, "cases.case_returned"
            title = translatable(gettext_lazy("Your case “%(title)s” needs changes"), title=case.title)
        case.save(update_fields=["status", "published_at", "reviewed_by", "review_note", "updated_at"])
        _revise(case, actor=actor, kind=kind, data=_current(case), note=note)
        record(actor=actor, action=action, target=case, organisation=case.network_id, data={"note": note})
        transaction.on_commit(partial(_tell_author, case, title, note))
        if decision == Decision.PUBLISH:
            transaction.on_commit(invalidate_map)
    return case


def pending_changes(case: Case) -> CaseRevision | None:
    return CaseRevision.objects.filter(case=case, is_pending=True).select_related("created_by").first()


def decide_changes(*, actor: Any, case: Case, decision: str, note: str = "") -> Case:
    """An editor publishes or returns the changes an author proposed to a published case. Same locking, audit and
    messages as decide_case; ValidationError (code no_pending_changes) when there are none (any more)."""
    require_permission(actor, "cases.review_case", case)
    decision = Decision(decision)
    note = note.strip()
    if decision == Decision.RETURN and not note:
        raise ValidationError({"note": ValidationError(_("Tell the author what to change."), code="note_needed")})
    with transaction.atomic():
        case = _locked(case)
        pending = CaseRevision.objects.select_for_update().filter(case=case, is_pending=True).first()
        if pending is None:
            raise ValidationError(
                _("There are no changes waiting for review; someone has decided already."), code="no_pending_changes"
            )
        pending.is_pending = False
        pending.save(update_fields=["is_pending"])
        case.reviewed_by = actor
        case.review_note = note
        if decision == Decision.PUBLISH:
            data = CaseInput.from_data(pending.data)
            _apply(case, data)
            _revise(case, actor=actor, kind=RevisionKind.CHANGES_PUBLISHED, data=data.to_data(), note=note)
            record(actor=actor, action="cases.changes_published", target=case, organisation=case.network_id)
            title = translatable(gettext_lazy("Your changes to “%(title)s” are published"), title=case.title)
            transaction.on_commit(invalidate_map)
        else:
            case.save(update_fields=["reviewed_by", "review_note", "updated_at"])
            _revise(case, actor=actor, kind=RevisionKind.CHANGES_RETURNED, data=pending.data, note=note)
            record(
                actor=actor,
                action="cases.changes_returned",
                target=case,
                organisation=case.network_id,
                data={"note": note},
            )
            title = translatable(gettext_lazy("Your changes to “%(title)s” were not published"), title=case.title)
        transaction.on_commit(partial(_tell_author, case, title, note))
    return case


def unpublish_case(*, actor: Any, case: Case, note: str) -> Case:
    """An editor takes a published case off the map and returns it to its author with a message (needed). Open
    reports on the case are resolved. Audited."""
    require_permission(actor, "cases.review_case", case)
    note = note.strip()
    if not note:
        raise ValidationError({"note": ValidationError(_("Say why the case leaves the map."), code="note_needed")})
    from veche.contributions.services import resolve_reports

    with transaction.atomic():
        case = _locked(case)
        if case.status != CaseStatus.PUBLISHED:
            raise ValidationError(_("This case is not on the map."), code="not_published")
        case.status = CaseStatus.RETURNED
        case.reviewed_by = actor
        case.review_note = note
        case.save(update_fields=["status", "reviewed_by", "review_note", "updated_at"])
        CaseRevision.objects.filter(case=case, is_pending=True).update(is_pending=False)
        _revise(case, actor=actor, kind=RevisionKind.UNPUBLISHED, data=_current(case), note=note)
        record(
            actor=actor, action="cases.case_unpublished", target=case, organisation=case.network_id, data={"note": note}
        )
        resolve_reports(actor=actor, target=case, note=note)
        title = translatable(gettext_lazy("Your case “%(title)s” was taken off the map"), title=case.title)
        transaction.on_commit(partial(_tell_author, case, title, note))
        transaction.on_commit(invalidate_map)
    return case


# --- photos --------------------------------------------------------------------------------------------------------


def add_photo(*, actor: Any, case: Case, upload: Any, alt: str, credit: str = "") -> CasePhoto:
    """Add a photo, re-encoded without its metadata (GPS position included). ValidationError for a file that is not
    an acceptable image, a missing description, or more than MAX_PHOTOS photos."""
    from veche.core.images import reencode_image

    require_permission(actor, "cases.add_photo", case)
    if not alt.strip():
        raise ValidationError({"alt": ValidationError(_("Describe the photo for people who cannot see it."))})
    try:
        content = reencode_image(upload, max_side=1600)
    except ValidationError as error:
        raise ValidationError({"image": error}) from error
    with transaction.atomic():
        case = _locked(case)
        count = case.photos.count()
        if count >= MAX_PHOTOS:
            raise ValidationError(
                _("A case has at most %(limit)s photos."), params={"limit": MAX_PHOTOS}, code="too_many_photos"
            )
        photo = CasePhoto(case=case, alt=alt.strip(), credit=credit.strip(), weight=count, added_by=actor)
        photo.image.save(content.name, content, save=False)
        photo.save()
    return photo


def delete_photo(*, actor: Any, photo: CasePhoto) -> None:
    require_permission(actor, "cases.add_photo", photo.case)
    with transaction.atomic():
        name = photo.image.name
        storage = photo.image.storage
        photo.delete()
        transaction.on_commit(partial(storage.delete, name))


# --- from a process run on veche ------------------------------------------------------------------------------------


def module_case_summary(module: Any) -> Any:
    """The module type's CaseSummary (None for a module that is not finished, or whose type offers none)."""
    module_type = module.type
    hook = getattr(module_type, "case_summary", None) if module_type else None
    return hook(module) if hook else None


def networks_for_module(*, actor: Any, module: Any) -> Any:
    """Networks the process may be presented in: those the organisation that ran it currently belongs to, and those
    the acting person writes for."""
    from django.db.models import Q

    from veche.cases.membership import member_network_ids
    from veche.organisations.choices import OrganisationKind
    from veche.organisations.models import Organisation

    organisation_id = module.process.organisation_id
    return (
        Organisation.objects.filter(kind=OrganisationKind.NETWORK)
        .filter(
            Q(affiliations__organisation_id=organisation_id, affiliations__left_on__isnull=True)
            | Q(pk__in=member_network_ids(actor))
        )
        .distinct()
    )


def draft_case_from_module(*, actor: Any, module: Any, network: Any) -> Case:
    """A draft case pre-filled from a process finished on veche (its module type's case_summary), written by actor
    in the current language. Raises PermissionDenied unless actor coordinates the organisation that ran it;
    ValidationError when the module is not finished, the network is not one of networks_for_module, or the
    process is already a case there."""
    require_permission(actor, "cases.publish_module", module)
    summary = module_case_summary(module)
    if summary is None:
        raise ValidationError(_("This process has no results to present yet."), code="not_finished")
    if not networks_for_module(actor=actor, module=module).filter(pk=network.pk).exists():
        raise ValidationError(
            {"network": ValidationError(_("Choose a network the organisation belongs to."), code="bad_network")}
        )
    if Case.objects.filter(network=network, source_module=module).exists():
        raise ValidationError(_("This process is already a case on this network's map."), code="already_on_map")
    organisation = module.process.organisation
    latitude = _decimal(round(summary.latitude, 6)) if summary.latitude is not None else None
    longitude = _decimal(round(summary.longitude, 6)) if summary.longitude is not None else None
    data = CaseInput(
        title=summary.title[:200],
        summary=summary.summary[:600],
        language=translation.get_language() or "en",
        municipality=organisation.name[:120],
        region=organisation.region,
        country=organisation.country,
        latitude=latitude,
        longitude=longitude,
        started_on=summary.started_on,
        ended_on=summary.ended_on,
        methods=tuple(summary.methods),
        topics=tuple(summary.topics),
        organisation_id=organisation.pk,
        organiser=organisation.name[:200],
        participants=summary.participants,
        participants_note=summary.participants_note,
        budget=summary.budget,
        currency=summary.currency if summary.budget is not None else "",
        results=summary.results,
        links=tuple((str(label)[:120], _absolute(url)) for label, url in summary.links),
    )
    # No cases.add_case check: the organisation's membership of the network is enough for its coordinator.
    return _create(actor=actor, network=network, data=data, source_module=module, source_url=_absolute(summary.url))


def _absolute(url: str) -> str:
    from django.conf import settings

    url = str(url or "")
    return (settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url)[:300]
