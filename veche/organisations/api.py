"""Read-only API of organisations: the directory, one organisation, and the members of a network."""

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate

from veche.api.auth import PUBLIC, caller
from veche.api.errors import ApiError, Error
from veche.api.pagination import LimitOffsetPagination
from veche.api.routing import ApiRouter
from veche.api.schemas import SearchText, Slug, TranslatedText, api_url, translations
from veche.organisations.choices import Country, OrganisationKind
from veche.organisations.member_lists import may_filter_by_network, may_see_members, networks_showing_members
from veche.organisations.models import Organisation
from veche.organisations.querysets import OrganisationQuerySet

router = ApiRouter(tags=["organisations"])


class OrganisationRef(Schema):
    slug: str
    kind: str
    name: str
    api_url: str

    @staticmethod
    def resolve_api_url(obj: Organisation, context: dict[str, Any]) -> str:
        return api_url(context["request"], "organisation", slug=obj.slug)


class OrganisationSummary(OrganisationRef):
    kind_label: str = Field(description="The kind in the request language.")
    names: TranslatedText
    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    country_label: str
    region: str
    region_code: str = Field(description="NUTS code, when known.")
    population: int | None
    website: str
    logo: str | None = Field(description="Address of the logo image.")
    member_count: int | None = Field(description="Current member organisations (networks only).")
    page_url: str = Field(description="The organisation's public page on the site.")

    @staticmethod
    def resolve_kind_label(obj: Organisation) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_names(obj: Organisation) -> dict[str, str | None]:
        return translations(obj, "name")

    @staticmethod
    def resolve_country_label(obj: Organisation) -> str:
        return str(obj.get_country_display())

    @staticmethod
    def resolve_logo(obj: Organisation, context: dict[str, Any]) -> str | None:
        return context["request"].build_absolute_uri(obj.logo.url) if obj.logo else None

    @staticmethod
    def resolve_member_count(obj: Organisation) -> int | None:
        return obj.member_count if obj.is_network else None  # type: ignore[attr-defined]  # for_list_page()

    @staticmethod
    def resolve_page_url(obj: Organisation, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class OrganisationDetail(OrganisationSummary):
    description: str
    descriptions: TranslatedText
    networks: list[OrganisationRef] = Field(description="Networks the organisation is currently a member of.")
    members_url: str | None = Field(description="Where to list the members (networks only).")

    @staticmethod
    def resolve_descriptions(obj: Organisation) -> dict[str, str | None]:
        return translations(obj, "description")

    @staticmethod
    def resolve_networks(obj: Organisation, context: dict[str, Any]) -> list[Organisation]:
        user = caller(context["request"])
        visible = [
            affiliation.network
            for affiliation in obj.current_networks  # type: ignore[attr-defined]  # for_detail_page()
            if user.has_perm("organisations.view_organisation", affiliation.network)
        ]
        return networks_showing_members(user, visible)

    @staticmethod
    def resolve_members_url(obj: Organisation, context: dict[str, Any]) -> str | None:
        if not obj.is_network or not may_see_members(caller(context["request"]), obj):
            return None
        return api_url(context["request"], "organisation_members", slug=obj.slug)


class OrganisationFilters(Schema):
    kind: OrganisationKind | None = Field(None, description="Only organisations of this kind.")
    country: Country | None = Field(None, description="Only organisations in this country (ISO code).")
    network: Slug | None = Field(None, description="Only current members of the network with this slug.")
    q: SearchText | None = Field(None, description="Only organisations whose name (in any language) contains this.")


def _name_contains(text: str) -> Q:
    query = Q()
    for code in settings.MODELTRANSLATION_LANGUAGES:
        query |= Q(**{f"name_{code}__icontains": text})
    return query


def _get_or_404(organisations: OrganisationQuerySet, slug: str) -> Organisation:
    """The organisation with this slug among those the caller may see; 404 otherwise, so hidden ones stay hidden."""
    found = organisations.filter(slug=slug).first()
    if found is None:
        raise ApiError(404, "not_found", _("There is no organisation with this short name."))
    return found


@router.get(
    "",
    auth=PUBLIC,
    response={200: list[OrganisationSummary]},
    url_name="organisations",
    summary="List organisations",
)
@paginate(LimitOffsetPagination)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    """Published organisations (and unpublished ones the caller administers), ordered by name."""
    organisations = Organisation.objects.visible_to(caller(request))
    if filters.kind:
        organisations = organisations.filter(kind=filters.kind)
    if filters.country:
        organisations = organisations.filter(country=filters.country)
    if filters.network:
        if not may_filter_by_network(caller(request), filters.network):
            return organisations.none()  # a members-only network's members stay unknown, as on its page
        organisations = organisations.filter(
            network_affiliations__network__slug=filters.network, network_affiliations__left_on__isnull=True
        )
    if filters.q:
        organisations = organisations.filter(_name_contains(filters.q))
    return organisations.for_list_page()


@router.get(
    "/{slug}",
    auth=PUBLIC,
    response={200: OrganisationDetail, 404: Error},
    url_name="organisation",
    summary="One organisation",
)
def get_organisation(request: HttpRequest, slug: Slug) -> Any:
    """An organisation with its descriptions and the networks it belongs to. 404 when it does not exist or is
    not published (unless the caller administers it)."""
    visible = Organisation.objects.visible_to(caller(request))
    return _get_or_404(visible.for_list_page().for_detail_page(), slug)


@router.get(
    "/{slug}/members",
    auth=PUBLIC,
    response={200: list[OrganisationSummary], 403: Error, 404: Error},
    url_name="organisation_members",
    summary="Members of a network",
)
@paginate(LimitOffsetPagination)
def list_members(request: HttpRequest, slug: Slug) -> Any:
    """The current member organisations of a network, ordered by name. 404 for an organisation that is not a
    network; 403 when the network shows its members to members only and the caller is not one."""
    network = _get_or_404(Organisation.objects.visible_to(caller(request)), slug)
    if not network.is_network:
        raise ApiError(404, "not_a_network", _("This organisation is not a network, so it has no members."))
    if not may_see_members(caller(request), network):
        raise ApiError(403, "members_only", _("This network shows its members to members only."))
    return (
        Organisation.objects.visible_to(caller(request))
        .filter(network_affiliations__network=network, network_affiliations__left_on__isnull=True)
        .for_list_page()
    )
