"""Read API of the report part: official responses (every answerable contribution with the response that answers
it), themes, and the published report as JSON with links to its PDF, CSV and XLSX. Responses and themes are public
once the report is published; before that, only the consultation's staff see them (they are still drafts). A
hidden contribution is listed with the moderator's reason, never its text."""

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate

from veche.api.auth import PUBLIC, caller
from veche.api.errors import ApiError, Error
from veche.api.pagination import LimitOffsetPagination
from veche.api.routing import ApiRouter
from veche.consultations.models import Consultation, Contribution, ResponseOutcome, Theme
from veche.consultations.querysets_report import ANSWERED, with_responses
from veche.consultations.services.report import published_build
from veche.consultations.services.responses import effective_response

router = ApiRouter(tags=["consultations"])

MAX_ID = 2**31 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]


class ResponseOut(Schema):
    outcome: str = Field(description="accepted, partly, not_accepted or out_of_scope")
    outcome_label: str
    justification: str
    theme: int | None = Field(description="The theme whose response this is (null: the contribution's own).")
    answered_at: datetime


class AnsweredContributionOut(Schema):
    id: int
    kind: str
    channel: str
    created_at: datetime
    received_on: str | None
    paragraph: int | None = Field(description="Number of the paragraph commented on, if any.")
    theme: int | None
    hidden: bool
    text: str = Field(description="Empty for a hidden contribution.")
    proposed_text: str
    moderation_reason: str = Field(description="Why the moderator hid it (hidden contributions only).")
    response: ResponseOut | None


class ResponseFilters(Schema):
    outcome: str | None = Field(
        None,
        description="Only contributions with this outcome, or `unanswered`.",
        pattern="^(accepted|partly|not_accepted|out_of_scope|unanswered)$",
    )
    theme: int | None = Field(None, ge=1, le=MAX_ID, description="Only the contributions of this theme.")


class ThemeOut(Schema):
    id: int
    title: str
    description: str
    contributions: int
    response: ResponseOut | None


class ReportFile(Schema):
    name: str
    url: str
    content_type: str


class ReportOut(Schema):
    consultation: int
    published_at: datetime
    built_at: datetime
    outcome_text: str = Field(description="What was decided and why, in the coordinator's words.")
    participation: dict[str, Any]
    demographics: dict[str, Any] = Field(description="Aggregates only; counts under 5 are null.")
    outcomes: dict[str, int]
    sections: list[dict[str, Any]]
    themes: list[dict[str, Any]]
    standards: dict[str, Any] | None
    files: list[ReportFile]
    page_url: str


def _consultation_or_404(request: HttpRequest, consultation_id: int) -> Consultation:
    consultation = Consultation.objects.visible_to(caller(request)).with_timeline().filter(pk=consultation_id).first()
    if consultation is None:
        raise ApiError(404, "not_found", _("There is no consultation with this number."))
    return consultation


def _responses_visible(request: HttpRequest, consultation: Consultation) -> None:
    if consultation.report_published_at is None and not caller(request).has_perm(
        "consultations.view_response_queue", consultation
    ):
        raise ApiError(404, "not_published", _("The responses are published with the report."))


def _response(response: Any) -> dict[str, Any] | None:
    if response is None:
        return None
    return {
        "outcome": response.outcome,
        "outcome_label": str(ResponseOutcome(response.outcome).label),
        "justification": response.justification,
        "theme": response.theme_id,
        "answered_at": response.answered_at,
    }


def _contribution(item: Contribution) -> dict[str, Any]:
    hidden = item.is_hidden
    link = getattr(item, "theme_link", None)
    return {
        "id": item.pk,
        "kind": item.kind,
        "channel": item.channel,
        "created_at": item.created_at,
        "received_on": item.received_on.isoformat() if item.received_on else None,
        "paragraph": item.paragraph.number if item.paragraph_id else None,
        "theme": link.theme_id if link is not None else None,
        "hidden": hidden,
        "text": "" if hidden else item.text,
        "proposed_text": "" if hidden else item.proposed_text,
        "moderation_reason": item.moderation_reason if hidden else "",
        "response": None if hidden else _response(effective_response(item)),
    }


class _Rows:
    """A queryset whose slices come out in the public shape (the paginator counts and slices it)."""

    def __init__(self, queryset: Any) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [_contribution(item) for item in self.queryset[window]]


@router.get(
    "/{consultation_id}/responses",
    auth=PUBLIC,
    response={200: list[AnsweredContributionOut], 404: Error},
    url_name="consultation_responses",
    summary="Official responses to the contributions of a consultation",
)
@paginate(LimitOffsetPagination)
def list_responses(request: HttpRequest, consultation_id: ObjectId, filters: Query[ResponseFilters]) -> Any:
    """Every contribution that needs an answer (comments, proposed wordings, survey text answers, offline input),
    oldest first, with the response that answers it — its own, or its theme's. Public once the report is out."""
    consultation = _consultation_or_404(request, consultation_id)
    _responses_visible(request, consultation)
    items = Contribution.objects.filter(consultation=consultation).answerable()
    if filters.theme:
        items = items.filter(theme_link__theme_id=filters.theme)
    if filters.outcome == "unanswered":
        items = items.exclude(ANSWERED)
    elif filters.outcome:
        from django.db.models import Q

        items = items.filter(
            Q(official_response__outcome=filters.outcome)
            | Q(official_response__isnull=True, theme_link__theme__response__outcome=filters.outcome)
        )
    return _Rows(with_responses(items).order_by("created_at", "id"))


@router.get(
    "/{consultation_id}/themes",
    auth=PUBLIC,
    response={200: list[ThemeOut], 404: Error},
    url_name="consultation_themes",
    summary="Themes of a consultation and their responses",
)
def list_themes(request: HttpRequest, consultation_id: ObjectId) -> Any:
    """Groups of contributions answered together; a theme's response answers every member without its own."""
    from django.db.models import Count

    consultation = _consultation_or_404(request, consultation_id)
    _responses_visible(request, consultation)
    themes = Theme.objects.filter(consultation=consultation).select_related("response").annotate(count=Count("members"))
    return [
        {
            "id": theme.pk,
            "title": theme.title,
            "description": theme.description,
            "contributions": theme.count,
            "response": _response(getattr(theme, "response", None)),
        }
        for theme in themes
    ]


@router.get(
    "/{consultation_id}/report",
    auth=PUBLIC,
    response={200: ReportOut, 404: Error},
    url_name="consultation_report",
    summary="The published report of a consultation",
)
def get_report(request: HttpRequest, consultation_id: ObjectId) -> Any:
    """The report as published (a frozen snapshot): participation by channel, aggregate demographics against the
    population, outcomes by section and theme, the decision, the standards checklist, and links to the PDF and to
    CSV/XLSX of every contribution with its response (GET /responses lists them too)."""
    consultation = _consultation_or_404(request, consultation_id)
    build = published_build(consultation)
    if build is None or not build.snapshot:
        raise ApiError(404, "not_published", _("The report of this consultation is not published yet."))
    snapshot = build.snapshot
    args = [consultation.organisation.slug, consultation.slug]
    files = [
        ("report.pdf", "application/pdf"),
        ("contributions.csv", "text/csv"),
        ("contributions.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]
    return {
        "consultation": consultation.pk,
        "published_at": consultation.report_published_at,
        "built_at": datetime.fromisoformat(snapshot["built_at"]),
        "outcome_text": snapshot["outcome_text"],
        "participation": snapshot["participation"],
        "demographics": snapshot["demographics"],
        "outcomes": snapshot["outcomes"],
        "sections": snapshot["sections"],
        "themes": snapshot["themes"],
        "standards": snapshot["standards"],
        "files": [
            {
                "name": name,
                "url": request.build_absolute_uri(reverse("consultations:report_file", args=[*args, name])),
                "content_type": content_type,
            }
            for name, content_type in files
        ],
        "page_url": request.build_absolute_uri(reverse("consultations:report", args=args)),
    }
