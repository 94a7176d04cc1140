"""Read-only API of the map of participation: published cases (a list, one case) and the map's GeoJSON. A case that
is not published answers 404, except to its author and the network's editors."""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate

from veche.api.auth import PUBLIC, caller
from veche.api.errors import ApiError, Error
from veche.api.pagination import LimitOffsetPagination
from veche.api.routing import ApiRouter
from veche.api.schemas import SearchText, Slug, api_url
from veche.cases.geojson import feature_collection_bytes
from veche.cases.models import Case
from veche.cases.querysets import CaseFilters
from veche.core.vocabulary import MethodChoices, TopicChoices
from veche.organisations.choices import Country

router = ApiRouter(tags=["map of participation"])

CaseId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class Link(Schema):
    label: str
    url: str


class VocabularyItem(Schema):
    key: str
    name: str = Field(description="In the request language.")


class CaseSummaryOut(Schema):
    id: int
    title: str
    summary: str
    language: str = Field(description="The language the case is written in.")
    network: str = Field(description="The network's slug.")
    municipality: str
    region: str
    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    latitude: float | None
    longitude: float | None
    started_on: date | None
    ended_on: date | None
    year: int | None
    methods: list[VocabularyItem]
    topics: list[VocabularyItem]
    published_at: datetime | None
    page_url: str
    api_url: str

    @staticmethod
    def resolve_network(obj: Case) -> str:
        return obj.network.slug

    @staticmethod
    def resolve_latitude(obj: Case) -> float | None:
        return float(obj.latitude) if obj.latitude is not None else None

    @staticmethod
    def resolve_longitude(obj: Case) -> float | None:
        return float(obj.longitude) if obj.longitude is not None else None

    @staticmethod
    def resolve_methods(obj: Case) -> list[dict[str, str]]:
        return [{"key": item.slug, "name": str(item.name)} for item in obj.methods.all()]

    @staticmethod
    def resolve_topics(obj: Case) -> list[dict[str, str]]:
        return [{"key": item.slug, "name": str(item.name)} for item in obj.topics.all()]

    @staticmethod
    def resolve_page_url(obj: Case, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_api_url(obj: Case, context: dict[str, Any]) -> str:
        return api_url(context["request"], "case", case_id=obj.pk)


class PhotoOut(Schema):
    url: str
    alt: str
    credit: str


class CaseDetailOut(CaseSummaryOut):
    status: str = Field(description="published, or for its author and editors draft, submitted or returned.")
    area: dict[str, Any] | None = Field(description="A GeoJSON Polygon or MultiPolygon, when the case has one.")
    organiser: str
    organisation: str | None = Field(description="Slug of the organisation on veche that ran it, if any.")
    participants: int | None
    participants_note: str
    budget: str | None = Field(description="Decimal amount in `currency`.")
    currency: str
    results: str
    changes: str
    lessons: str
    links: list[Link]
    photos: list[PhotoOut]
    source_url: str = Field(description="The process's page on veche, when the case was made from one.")

    @staticmethod
    def resolve_organisation(obj: Case) -> str | None:
        return obj.organisation.slug if obj.organisation else None

    @staticmethod
    def resolve_budget(obj: Case) -> str | None:
        return str(obj.budget) if obj.budget is not None else None

    @staticmethod
    def resolve_links(obj: Case) -> list[dict[str, str]]:
        return [{"label": label, "url": url} for label, url in obj.links]

    @staticmethod
    def resolve_photos(obj: Case, context: dict[str, Any]) -> list[dict[str, str]]:
        request = context["request"]
        return [
            {"url": request.build_absolute_uri(photo.image.url), "alt": photo.alt, "credit": photo.credit}
            for photo in obj.photo_list  # type: ignore[attr-defined]  # for_detail_page()
        ]


class CaseFilterQuery(Schema):
    network: Slug | None = Field(None, description="Only cases of the network with this slug.")
    method: MethodChoices | None = Field(None, description="Only cases that used this method.")
    topic: TopicChoices | None = Field(None, description="Only cases about this topic.")
    country: Country | None = Field(None, description="Only cases in this country (ISO code).")
    municipality: SearchText | None = Field(None, description="Only cases whose municipality contains this.")
    year: int | None = Field(None, ge=1900, le=2200, description="Only cases that started in this year.")

    def filters(self) -> CaseFilters:
        return CaseFilters(
            network=self.network or "",
            method=self.method.value if self.method else "",
            topic=self.topic.value if self.topic else "",
            country=self.country.value if self.country else "",
            municipality=(self.municipality or "").strip(),
            year=self.year,
        )


@router.get(
    "",
    auth=PUBLIC,
    response={200: list[CaseSummaryOut]},
    url_name="cases",
    summary="List published cases",
)
@paginate(LimitOffsetPagination)
def list_cases(request: HttpRequest, filters: Query[CaseFilterQuery]) -> Any:
    """Published cases on the map of participation, newest first."""
    return (
        Case.objects.published()
        .filtered(filters.filters())
        .select_related("network")
        .prefetch_related("methods", "topics")
        .order_by("-published_at", "-id")
    )


@router.get(
    "/geojson",
    auth=PUBLIC,
    response={422: Error},
    url_name="cases_geojson",
    summary="Published cases as GeoJSON",
    openapi_extra={
        "responses": {
            "200": {
                "description": "A GeoJSON FeatureCollection of points; each feature's properties: id, title, url "
                "(the case page), municipality, country, year, network (slug), methods (keys), language.",
                "content": {"application/geo+json": {"schema": {"type": "object"}}},
            }
        }
    },
)
def cases_geojson(request: HttpRequest, filters: Query[CaseFilterQuery]) -> HttpResponse:
    """The map's data, with the same filters as the list. Cached; a fixed number of queries for any number of cases."""
    base = f"{request.scheme}://{request.get_host()}"
    response = HttpResponse(feature_collection_bytes(filters.filters(), base=base), content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=60"
    return response


@router.get(
    "/{case_id}",
    auth=PUBLIC,
    response={200: CaseDetailOut, 404: Error},
    url_name="case",
    summary="One case",
)
def get_case(request: HttpRequest, case_id: CaseId) -> Any:
    """A published case with everything it tells. 404 when it does not exist or is not published (unless the caller
    wrote it or edits the network's map)."""
    case = Case.objects.visible_to(caller(request)).for_detail_page().filter(pk=case_id).first()
    if case is None:
        raise ApiError(404, "not_found", _("There is no case with this number."))
    return case
