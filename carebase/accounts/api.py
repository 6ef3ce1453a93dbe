from __future__ import annotations

from ninja import Router, Schema

from carebase.accounts.http import AuthenticatedRequest
from carebase.api.pagination import ERRORS
from carebase.core.access import roles_of

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    username: str
    email: str
    name: str
    roles: list[str]
    language: str
    timezone: str


@router.get("/me", response={200: MeOut, **ERRORS}, summary="The user the token belongs to")
def me(request: AuthenticatedRequest) -> dict:
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "name": user.get_full_name(),
        "roles": sorted(role.value for role in roles_of(user)),
        "language": user.language,
        "timezone": user.timezone,
    }
