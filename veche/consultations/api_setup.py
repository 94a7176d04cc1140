"""Read API of consultations: the list (the site's filters and search, paginated) and one consultation with its
timeline, methods, target groups, contact and area. Visibility is the site's: published consultations, plus drafts
for their organisation's staff."""

import datetime as dt
import enum
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate

from veche.api.auth import PUBLIC, caller
from veche.api.errors import ApiError, Error
from veche.api.pagination import LimitOffsetPagination
from veche.api.routing import ApiRouter
from veche.api.schemas import SearchText, Slug, api_url
from veche.consultations.choices import TargetGroup
from veche.consultations.models import Consultation
from veche.consultations.services.setup import minimum_days
from veche.consultations.views.finding import state_of
from veche.organisations.member_lists import may_filter_by_network

router = ApiRouter(tags=["consultations"])

MAX_ID = 2**31 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]

State = enum.Enum("State", [(name, name) for name in ("open", "upcoming", "closed")], type=str)  # type: ignore[misc]
Group = enum.Enum("Group", [(value, value) for value in TargetGroup.values], type=str)  # type: ignore[misc]


class ConsultationFilters(Schema):
    organisation: Slug | None = Field(None, description="Only consultations of the organisation with this slug.")
    network: Slug | None = Field(None, description="Only consultations of the current members of this network.")
    state: State | None = Field(None, description="open, upcoming (or not scheduled yet) or closed.")  # type: ignore[valid-type]
    topic: Slug | None = Field(None, description="Only consultations on this topic (a key of the shared vocabulary).")
    target_group: Group | None = Field(None, description="Only consultations that set out to reach this group.")  # type: ignore[valid-type]
    q: SearchText | None = Field(None, description="Words to find in the subject, summary and decision.")

    def as_filters(self) -> dict[str, str]:
        values = {
            "organisation": self.organisation,
            "network": self.network,
            "state": self.state.value if self.state else None,
            "topic": self.topic,
            "group": self.target_group.value if self.target_group else None,
            "q": " ".join((self.q or "").split()),
        }
        return {name: value for name, value in values.items() if value}


class ConsultationSummary(Schema):
    id: int
    slug: str
    subject: str
    summary: str = Field(description="The plain-language summary.")
    language: str = Field(description="The language the consultation is run in.")
    organisation: str = Field(description="The organisation's slug.")
    organisation_name: str
    state: str = Field(description="open, upcoming, closed, or unscheduled (no dates yet).")
    published: bool = Field(description="False for drafts (only their organisation's staff see them).")
    announced_at: dt.datetime | None
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    report_due: dt.date | None
    report_published_at: dt.datetime | None
    topics: list[str] = Field(description="Topic keys.")
    target_groups: list[str]
    latitude: float | None = Field(description="Centre of the area concerned.")
    longitude: float | None
    page_url: str
    api_url: str

    @staticmethod
    def resolve_organisation(obj: Consultation) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_organisation_name(obj: Consultation) -> str:
        return str(obj.organisation.name)

    @staticmethod
    def resolve_state(obj: Consultation) -> str:
        return state_of(obj, timezone.now())

    @staticmethod
    def resolve_published(obj: Consultation) -> bool:
        return bool(obj.module.process.is_published and obj.organisation.is_published)

    @staticmethod
    def resolve_topics(obj: Consultation) -> list[str]:
        return [topic.slug for topic in obj.topics.all()]

    @staticmethod
    def resolve_target_groups(obj: Consultation) -> list[str]:
        return [row.group for row in obj.target_groups.all()]

    @staticmethod
    def resolve_page_url(obj: Consultation, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_api_url(obj: Consultation, context: dict[str, Any]) -> str:
        return api_url(context["request"], "consultation", consultation_id=obj.pk)


class MethodOut(Schema):
    kind: str
    kind_label: str
    description: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    place: str

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())


class PhaseOut(Schema):
    key: str
    name: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None


class ContactOut(Schema):
    name: str
    email: str
    phone: str


class ConsultationDetail(ConsultationSummary):
    decision: str
    decision_maker: str
    open_days: int | None
    minimum_days: int = Field(description="The minimum days open of the consultation's standard.")
    short_period_confirmed: bool = Field(description="Open for less than the standard asks, as the organiser chose.")
    participation_mode: str
    contact: ContactOut
    area: dict[str, Any] | None = Field(description="A GeoJSON geometry (Point, Polygon or MultiPolygon).")
    methods: list[MethodOut]
    phases: list[PhaseOut]

    @staticmethod
    def resolve_minimum_days(obj: Consultation) -> int:
        return minimum_days(obj)

    @staticmethod
    def resolve_contact(obj: Consultation) -> dict[str, str]:
        return {"name": obj.contact_name, "email": obj.contact_email, "phone": obj.contact_phone}

    @staticmethod
    def resolve_methods(obj: Consultation) -> list[Any]:
        return list(obj.methods.all())

    @staticmethod
    def resolve_phases(obj: Consultation) -> list[dict[str, Any]]:
        return [
            {"key": p.phase_type, "name": str(p.name), "starts_at": p.starts_at, "ends_at": p.ends_at}
            for p in obj.module.phases.all()
        ]


@router.get(
    "",
    auth=PUBLIC,
    response={200: list[ConsultationSummary]},
    url_name="consultations",
    summary="List consultations",
)
@paginate(LimitOffsetPagination)
def list_consultations(request: HttpRequest, filters: Query[ConsultationFilters]) -> Any:
    """Consultations the caller may see, newest first (best match first when searching)."""
    visible = Consultation.objects.visible_to(caller(request))
    if filters.network and not may_filter_by_network(caller(request), filters.network):
        return visible.none()  # a members-only network's members stay unknown, as on its page
    return visible.filtered(filters.as_filters(), timezone.now()).for_list_page()


@router.get(
    "/{consultation_id}",
    auth=PUBLIC,
    response={200: ConsultationDetail, 404: Error},
    url_name="consultation",
    summary="One consultation",
)
def get_consultation(request: HttpRequest, consultation_id: ObjectId) -> Any:
    """A consultation with its timeline, methods, target groups, contact and area."""
    consultation = Consultation.objects.visible_to(caller(request)).for_detail_page().filter(pk=consultation_id).first()
    if consultation is None:
        raise ApiError(404, "not_found", _("There is no consultation with this number."))
    return consultation
