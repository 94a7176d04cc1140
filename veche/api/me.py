"""GET /me: who the API thinks you are. The simplest way to check a token or a session works."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema

from veche.api.auth import AUTHENTICATED, caller
from veche.api.routing import ApiRouter
from veche.organisations.models import Role

router = ApiRouter(tags=["me"])


class RoleOut(Schema):
    organisation: str = Field(description="Slug of the organisation.")
    organisation_name: str
    role: str = Field(description="administrator, coordinator, moderator, expert or member.")
    role_label: str = Field(description="The role in the request language.")

    @staticmethod
    def resolve_organisation(obj: Role) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_organisation_name(obj: Role) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_role(obj: Role) -> str:
        return obj.kind

    @staticmethod
    def resolve_role_label(obj: Role) -> str:
        return str(obj.get_kind_display())


class MeOut(Schema):
    id: int
    display_name: str = Field(description="The name shown next to what you write in public.")
    roles: list[RoleOut]


@router.get("", auth=AUTHENTICATED, response={200: MeOut}, url_name="me", summary="The caller")
def me(request: HttpRequest) -> Any:
    """The signed-in person (by session or token) and the roles they hold. 401 without valid credentials."""
    user = caller(request)
    roles = Role.objects.of(user).select_related("organisation").order_by("organisation__slug", "kind")
    return {"id": user.pk, "display_name": user.public_name, "roles": list(roles)}
