"""Read-only API of advice on request, for the people in a request: the requester's side, the assigned expert and
the network's coordinators see their requests and threads (AdviceRequest.objects.visible_to), nobody else —
not even that a request exists (404). Authentication is required."""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate

from veche.advice.choices import AdviceStatus
from veche.advice.models import AdviceAttachment, AdviceMessage, AdviceRequest
from veche.api.auth import AUTHENTICATED, caller
from veche.api.errors import ApiError, Error
from veche.api.pagination import LimitOffsetPagination
from veche.api.routing import ApiRouter
from veche.api.schemas import Slug, api_url

router = ApiRouter(tags=["advice"])

RequestId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class PersonOut(Schema):
    id: int
    display_name: str


def _person(user: Any) -> dict[str, Any] | None:
    return {"id": user.pk, "display_name": user.public_name} if user is not None else None


class AdviceRequestSummary(Schema):
    id: int
    title: str
    network: str = Field(description="The network's slug.")
    requester_organisation: str | None = Field(description="The asking organisation's slug; null for a person.")
    requester_name: str
    stage: str = Field(description="planning, running, evaluating, rules or other")
    method: str | None = Field(description="A key of the shared methods vocabulary, if given.")
    preferred_language: str
    status: str = Field(description="new, assigned, in_progress, closed or declined")
    status_label: str = Field(description="The status in the request language.")
    expert: PersonOut | None
    wanted_from: date | None
    deadline: date | None
    created_at: datetime
    last_activity_at: datetime
    closed_at: datetime | None
    rating: int | None = Field(description="1–5, once the requester rated the advice.")
    page_url: str
    api_url: str

    @staticmethod
    def resolve_network(obj: AdviceRequest) -> str:
        return obj.network.slug

    @staticmethod
    def resolve_requester_organisation(obj: AdviceRequest) -> str | None:
        return obj.requester_organisation.slug if obj.requester_organisation_id else None

    @staticmethod
    def resolve_method(obj: AdviceRequest) -> str | None:
        return obj.method or None

    @staticmethod
    def resolve_status_label(obj: AdviceRequest) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_expert(obj: AdviceRequest) -> dict[str, Any] | None:
        return _person(obj.expert)

    @staticmethod
    def resolve_page_url(obj: AdviceRequest, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_api_url(obj: AdviceRequest, context: dict[str, Any]) -> str:
        return api_url(context["request"], "advice_request", request_id=obj.pk)


class AttachmentOut(Schema):
    name: str
    content_type: str
    size: int = Field(description="In bytes.")
    download_url: str = Field(description="Needs the same signed-in session or token.")

    @staticmethod
    def resolve_name(obj: AdviceAttachment) -> str:
        return obj.original_name

    @staticmethod
    def resolve_download_url(obj: AdviceAttachment, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class MessageOut(Schema):
    id: int
    author: PersonOut | None
    sent_at: datetime
    hidden: bool
    body: str | None = Field(description="As written; null when the network's coordinators hid the message.")
    hidden_reason: str | None
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_author(obj: AdviceMessage) -> dict[str, Any] | None:
        return _person(obj.author)

    @staticmethod
    def resolve_sent_at(obj: AdviceMessage) -> datetime:
        return obj.created_at

    @staticmethod
    def resolve_hidden(obj: AdviceMessage) -> bool:
        return obj.is_hidden

    @staticmethod
    def resolve_body(obj: AdviceMessage) -> str | None:
        return None if obj.is_hidden else obj.body

    @staticmethod
    def resolve_hidden_reason(obj: AdviceMessage) -> str | None:
        return obj.hidden_reason if obj.is_hidden else None

    @staticmethod
    def resolve_attachments(obj: AdviceMessage) -> list[AdviceAttachment]:
        return [] if obj.is_hidden else list(obj.attachments.all())


class AdviceRequestDetail(AdviceRequestSummary):
    description: str
    summary: str | None = Field(description="The closing summary of the advice.")
    decline_reason: str | None
    rating_comment: str | None
    messages: list[MessageOut]

    @staticmethod
    def resolve_summary(obj: AdviceRequest) -> str | None:
        return obj.summary or None

    @staticmethod
    def resolve_decline_reason(obj: AdviceRequest) -> str | None:
        return obj.decline_reason or None

    @staticmethod
    def resolve_rating_comment(obj: AdviceRequest) -> str | None:
        return obj.rating_comment or None

    @staticmethod
    def resolve_messages(obj: AdviceRequest) -> list[AdviceMessage]:
        return list(obj.messages.all())


class RequestFilters(Schema):
    network: Slug | None = Field(None, description="Only requests to the network with this slug.")
    status: AdviceStatus | None = Field(None, description="Only requests in this status.")


@router.get(
    "/requests",
    auth=AUTHENTICATED,
    response={200: list[AdviceRequestSummary]},
    url_name="advice_requests",
    summary="Advice requests you take part in",
)
@paginate(LimitOffsetPagination)
def list_requests(request: HttpRequest, filters: Query[RequestFilters]) -> Any:
    """Requests the caller asked, that their organisation asked, that they advise on, or — for coordinators — that
    were sent to their network; most recent activity first."""
    requests = AdviceRequest.objects.visible_to(caller(request))
    if filters.network:
        requests = requests.filter(network__slug=filters.network)
    if filters.status:
        requests = requests.filter(status=filters.status)
    return requests.for_list_page().order_by("-last_activity_at", "-id")


@router.get(
    "/requests/{request_id}",
    auth=AUTHENTICATED,
    response={200: AdviceRequestDetail, 404: Error},
    url_name="advice_request",
    summary="One advice request with its thread",
)
def get_request(request: HttpRequest, request_id: RequestId) -> Any:
    """The request, its summary and rating once closed, and its messages (hidden ones without their text). 404 when
    it does not exist or the caller does not take part in it."""
    found = AdviceRequest.objects.visible_to(caller(request)).for_detail_page().filter(pk=request_id).first()
    if found is None:
        raise ApiError(404, "not_found", _("There is no advice request with this number that you take part in."))
    return found
