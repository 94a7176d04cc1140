"""Read-only API of the practitioners' networks: the networks, their public member organisations, and the
practitioners' database — each profile with only the fields its owner made visible to the caller (the same
VisibleProfile every page uses; a hidden field is null or an empty list)."""

from typing import Annotated, Any

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate

from veche.api.auth import PUBLIC, caller
from veche.api.errors import ApiError, Error
from veche.api.pagination import LimitOffsetPagination
from veche.api.routing import ApiRouter
from veche.api.schemas import SearchText, Slug, TranslatedText, api_url, translations
from veche.core.translation import fallback_expression
from veche.core.vocabulary import MethodChoices, TopicChoices
from veche.network.choices import Availability, LanguageChoices
from veche.network.forms.directory import DirectoryFilterForm
from veche.network.models import PractitionerProfile
from veche.network.rules import settings_of
from veche.network.views.directory import directory_queryset, filterable_networks
from veche.network.visibility import VisibleProfile, clearance_for
from veche.organisations.choices import Country
from veche.organisations.models import Organisation

router = ApiRouter(tags=["networks and practitioners"])

ProfileId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class NetworkOut(Schema):
    slug: str
    name: str = Field(description="In the request language (or the first language it is written in).")
    names: TranslatedText
    description: str
    descriptions: TranslatedText
    country: str
    region: str
    website: str
    member_count: int = Field(description="Current member organisations.")
    members_public: bool = Field(description="Whether everyone may see the member list (else members only).")
    accepts_applications: bool
    page_url: str
    members_url: str | None = Field(description="The member organisations, when the caller may see them.")

    @staticmethod
    def resolve_names(obj: Organisation) -> dict[str, str | None]:
        return translations(obj, "name")

    @staticmethod
    def resolve_descriptions(obj: Organisation) -> dict[str, str | None]:
        return translations(obj, "description")

    @staticmethod
    def resolve_members_public(obj: Organisation) -> bool:
        settings = settings_of(obj)
        return settings is None or settings.members_are_public

    @staticmethod
    def resolve_accepts_applications(obj: Organisation) -> bool:
        settings = settings_of(obj)
        return settings is None or settings.accepts_applications

    @staticmethod
    def resolve_page_url(obj: Organisation, context: dict[str, Any]) -> str:
        from django.urls import reverse

        return context["request"].build_absolute_uri(reverse("network:home", kwargs={"slug": obj.slug}))

    @staticmethod
    def resolve_members_url(obj: Organisation, context: dict[str, Any]) -> str | None:
        request = context["request"]
        if not caller(request).has_perm("network.view_members", obj):
            return None
        return api_url(request, "network_members", slug=obj.slug)


class MemberOrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    country: str
    region: str
    latitude: float | None
    longitude: float | None
    page_url: str

    @staticmethod
    def resolve_page_url(obj: Organisation, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class VocabularyItem(Schema):
    key: str
    name: str = Field(description="In the request language.")


class ProcessLink(Schema):
    title: str
    url: str


class PractitionerOut(Schema):
    """A practitioner as the caller may see them: hidden fields are null or empty lists."""

    id: int
    name: str | None
    photo_url: str | None
    organisation: str | None
    role: str | None = Field(description="A PractitionerRole key.")
    region: str | None
    country: str | None
    languages: list[str] = Field(description="ISO 639-1 codes.")
    methods: list[VocabularyItem]
    topics: list[VocabularyItem]
    bio: str | None
    years_of_experience: int | None
    processes: list[ProcessLink]
    available_as: list[str] = Field(description="Keys of mentor, facilitator, trainer, advisor.")
    visible_fields: list[str] = Field(description="The field groups the caller may see.")
    page_url: str
    api_url: str

    @staticmethod
    def resolve_photo_url(obj: VisibleProfile, context: dict[str, Any]) -> str | None:
        return context["request"].build_absolute_uri(obj.photo.url) if obj.photo else None

    @staticmethod
    def resolve_organisation(obj: VisibleProfile) -> str | None:
        return obj.organisation_name or None

    @staticmethod
    def resolve_name(obj: VisibleProfile) -> str | None:
        return obj.name or None

    @staticmethod
    def resolve_role(obj: VisibleProfile) -> str | None:
        return obj.role or None

    @staticmethod
    def resolve_region(obj: VisibleProfile) -> str | None:
        return obj.region or None

    @staticmethod
    def resolve_country(obj: VisibleProfile) -> str | None:
        return obj.country or None

    @staticmethod
    def resolve_bio(obj: VisibleProfile) -> str | None:
        return obj.bio or None

    @staticmethod
    def resolve_methods(obj: VisibleProfile) -> list[dict[str, str]]:
        return [{"key": item.slug, "name": str(item.name)} for item in obj.methods]

    @staticmethod
    def resolve_topics(obj: VisibleProfile) -> list[dict[str, str]]:
        return [{"key": item.slug, "name": str(item.name)} for item in obj.topics]

    @staticmethod
    def resolve_processes(obj: VisibleProfile) -> list[dict[str, str]]:
        return [{"title": item.get("title", ""), "url": item.get("url", "")} for item in obj.processes]

    @staticmethod
    def resolve_available_as(obj: VisibleProfile) -> list[str]:
        return obj.availability

    @staticmethod
    def resolve_visible_fields(obj: VisibleProfile) -> list[str]:
        return sorted(obj.groups)

    @staticmethod
    def resolve_page_url(obj: VisibleProfile, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_api_url(obj: VisibleProfile, context: dict[str, Any]) -> str:
        return api_url(context["request"], "practitioner", profile_id=obj.pk)


class PractitionerFilterQuery(Schema):
    q: SearchText | None = Field(None, description="Words in the names, bios and processes the caller may see.")
    network: Slug | None = Field(None, description="Only members of this network (if its member list is visible).")
    method: MethodChoices | None = None
    topic: TopicChoices | None = None
    country: Country | None = None
    region: SearchText | None = None
    language: LanguageChoices | None = None
    availability: Availability | None = None

    def as_querydict(self) -> QueryDict:
        data = QueryDict(mutable=True)
        for name, value in self.dict().items():
            if value:
                data[name] = getattr(value, "value", value)
        return data


def _networks() -> Any:
    return Organisation.objects.networks().select_related("network_settings").for_list_page()


def _network_or_404(request: HttpRequest, slug: str) -> Organisation:
    network = _networks().filter(slug=slug).first()
    if network is None or not caller(request).has_perm("network.view_network", network):
        raise ApiError(404, "not_found", _("There is no network with this address."))
    return network


@router.get("/networks", auth=PUBLIC, response={200: list[NetworkOut]}, url_name="networks", summary="Networks")
@paginate(LimitOffsetPagination)
def list_networks(request: HttpRequest) -> Any:
    """The practitioners' networks, ordered by the name the reader sees."""
    return _networks().filter(pk__in=Organisation.objects.visible_to(caller(request)).values("pk"))


@router.get(
    "/networks/{slug}", auth=PUBLIC, response={200: NetworkOut, 404: Error}, url_name="network", summary="A network"
)
def get_network(request: HttpRequest, slug: Slug) -> Any:
    return _network_or_404(request, slug)


@router.get(
    "/networks/{slug}/members",
    auth=PUBLIC,
    response={200: list[MemberOrganisationOut], 403: Error, 404: Error},
    url_name="network_members",
    summary="Member organisations of a network",
)
@paginate(LimitOffsetPagination)
def list_network_members(request: HttpRequest, slug: Slug) -> Any:
    """The published current member organisations (with their location, for maps). 403 when the network shows its
    members to members only and the caller is not one."""
    network = _network_or_404(request, slug)
    if not caller(request).has_perm("network.view_members", network):
        raise ApiError(403, "members_only", _("This network shows its members to members only."))
    return (
        Organisation.objects.public()
        .filter(network_affiliations__network=network, network_affiliations__left_on__isnull=True)
        .order_by(fallback_expression("name"), "pk")
    )


def _visible(profiles: Any) -> list[VisibleProfile]:
    return [VisibleProfile(profile, profile.clearance) for profile in profiles]


class VisibleProfilePagination(LimitOffsetPagination):
    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = _visible(page["items"])
        return page


@router.get(
    "/practitioners",
    auth=PUBLIC,
    response={200: list[PractitionerOut]},
    url_name="practitioners",
    summary="Practitioners' database",
)
@paginate(VisibleProfilePagination)
def list_practitioners(request: HttpRequest, filters: Query[PractitionerFilterQuery]) -> Any:
    """Listed practitioners, most recently updated first, with the directory's search and filters. Every filter
    and the search match only fields the practitioner made visible to the caller."""
    user = caller(request)
    form = DirectoryFilterForm(filters.as_querydict(), networks=filterable_networks(user))
    # The schema has checked every value; the form refuses only a network whose members the caller may not see
    # (or that does not exist), and then nobody matches — as on the directory page.
    return form.filter(directory_queryset(user))


@router.get(
    "/practitioners/{profile_id}",
    auth=PUBLIC,
    response={200: PractitionerOut, 404: Error},
    url_name="practitioner",
    summary="A practitioner",
)
def get_practitioner(request: HttpRequest, profile_id: ProfileId) -> Any:
    user = caller(request)
    profile = PractitionerProfile.objects.for_detail_page().filter(pk=profile_id).first()
    if profile is None or not user.has_perm("network.view_practitioner", profile):
        raise ApiError(404, "not_found", _("There is no practitioner with this number."))
    return VisibleProfile(profile, clearance_for(user, profile))
