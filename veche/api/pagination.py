"""limit/offset pagination with the total count and ready-made links to the neighbouring pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Far beyond any real list; keeps OFFSET within what SQLite and PostgreSQL accept.
MAX_OFFSET = 1_000_000


class LimitOffsetPagination(PaginationBase):
    """`?limit=1..100&offset=0..` → {"count", "next", "previous", "items"}; out-of-range values are a 422."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many items to return (1–100).")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")

    class Output(Schema):
        count: int = Field(description="Number of items in the whole list.")
        next: str | None = Field(description="Address of the next page, or null on the last page.")
        previous: str | None = Field(description="Address of the previous page, or null on the first page.")
        items: list[Any]

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any) -> Any:
        limit, offset = pagination.limit, pagination.offset
        count = queryset.count()
        items = list(queryset[offset : offset + limit]) if offset < count else []
        next_url = self._page_url(request, limit, offset + limit) if offset + limit < count else None
        previous_url = (
            self._page_url(request, limit, max(min(offset, count) - limit, 0)) if offset > 0 and count else None
        )
        return {"count": count, "next": next_url, "previous": previous_url, "items": items}

    @staticmethod
    def _page_url(request: HttpRequest, limit: int, offset: int) -> str:
        query = request.GET.copy()
        query["limit"] = str(limit)
        query["offset"] = str(offset)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
