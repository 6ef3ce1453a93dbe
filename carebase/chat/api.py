"""Live chats over the REST API: list and read the chats one may see, take,
transfer and close them, and set one's chat status."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from carebase.accounts.http import AuthenticatedRequest
from carebase.accounts.models import Team, User
from carebase.api.pagination import ERRORS, Id, PageParams, paginate
from carebase.chat import actions
from carebase.chat.access import access_chat, chats_for
from carebase.chat.models import AgentState, AgentStatus, Chat, ChatStatus, Resolution
from carebase.core.access import Perm, require_perm

router = Router(tags=["chats"])


class ChatOut(Schema):
    id: int
    widget: str = Field(alias="widget.name")
    visitor_name: str = Field(alias="visitor.name")
    visitor_email: str = Field(alias="visitor.email")
    page_url: str = Field(alias="visitor.page_url", description="Where the visitor started.")
    ticket: int | None = Field(None, alias="ticket_id", description="Its conversation.")
    status: ChatStatus
    agent: int | None = Field(None, alias="agent_id")
    started_at: datetime
    awaits_answer: bool = Field(description="The visitor wrote last and nobody answered.")
    closed_at: datetime | None
    resolution: Resolution | None = None
    close_reason: str
    rating: int | None = Field(None, description="The visitor's rating, 1 to 5.")
    rating_comment: str

    @staticmethod
    def resolve_resolution(chat: Chat) -> str | None:
        return chat.resolution or None


class ChatPage(Schema):
    items: list[ChatOut]
    next: str | None


class ChatFilters(Schema):
    status: ChatStatus | None = None
    agent: str | None = Field(None, description="A user id, or `me`.", pattern=r"^(me|\d{1,18})$")


class CloseIn(Schema):
    resolution: Resolution
    reason: str = Field(
        "", max_length=300, description="Needed when the visitor's last message has no answer."
    )


class TransferIn(Schema):
    agent: Id | None = Field(None, description="To this agent; or:")
    team: Id | None = Field(None, description="To this team's queue (its available agent).")


class StatusIn(Schema):
    state: AgentState
    max_chats: int | None = Field(None, ge=1, le=20)


class StatusOut(Schema):
    state: AgentState
    max_chats: int


def _invalid(error: ValidationError) -> HttpError:
    return HttpError(422, " ".join(error.messages))


@router.get("/chats", response={200: ChatPage, **ERRORS}, summary="List chats")
def list_chats(
    request: AuthenticatedRequest, filters: Query[ChatFilters], page: Query[PageParams]
) -> dict:
    require_perm(request.user, Perm.WORK_TICKETS)
    queryset = chats_for(request.user).select_related("widget", "visitor")
    if filters.status is not None:
        queryset = queryset.filter(status=filters.status)
    if filters.agent == "me":
        queryset = queryset.filter(agent=request.user)
    elif filters.agent:
        queryset = queryset.filter(agent_id=int(filters.agent))
    return paginate(queryset, page.cursor, page.limit)


@router.get("/chats/{chat_id}", response={200: ChatOut, **ERRORS}, summary="Get a chat")
def get_chat(request: AuthenticatedRequest, chat_id: Id) -> Chat:
    return access_chat(request.user, chat_id)


@router.post("/chats/{chat_id}/take", response={200: ChatOut, **ERRORS}, summary="Take a chat")
def take_chat(request: AuthenticatedRequest, chat_id: Id) -> Chat:
    try:
        return actions.do_take_chat(access_chat(request.user, chat_id), request.user)
    except ValidationError as error:
        raise _invalid(error) from None


@router.post(
    "/chats/{chat_id}/transfer", response={200: ChatOut, **ERRORS}, summary="Transfer a chat"
)
def transfer_chat(request: AuthenticatedRequest, chat_id: Id, body: TransferIn) -> Chat:
    chat = access_chat(request.user, chat_id)
    if (body.agent is None) == (body.team is None):
        raise HttpError(422, "Give an agent or a team.")
    try:
        if body.team is not None:
            team = Team.objects.filter(pk=body.team).first()
            if team is None:
                raise HttpError(422, "No such team.")
            return actions.do_transfer_chat_to_team(chat, team, actor=request.user)
        to = User.objects.filter(pk=body.agent or 0, is_active=True).first()
        if to is None:
            raise HttpError(422, "No such agent.")
        return actions.do_transfer_chat(chat, to, actor=request.user)
    except ValidationError as error:
        raise _invalid(error) from None


@router.post("/chats/{chat_id}/close", response={200: ChatOut, **ERRORS}, summary="Close a chat")
def close_chat(request: AuthenticatedRequest, chat_id: Id, body: CloseIn) -> Chat:
    """Closed by the head's rules: a resolution always, and a reason when the
    visitor's last message has no answer (422 otherwise, nothing changed)."""
    chat = access_chat(request.user, chat_id)
    try:
        return actions.do_close_chat(
            chat, actor=request.user, resolution=body.resolution, reason=body.reason
        )
    except ValidationError as error:
        raise _invalid(error) from None


@router.get("/chat/status", response={200: StatusOut, **ERRORS}, summary="My chat status")
def my_status(request: AuthenticatedRequest) -> AgentStatus:
    require_perm(request.user, Perm.WORK_TICKETS)
    return AgentStatus.objects.filter(user=request.user).first() or AgentStatus(user=request.user)


@router.put("/chat/status", response={200: StatusOut, **ERRORS}, summary="Set my chat status")
def set_status(request: AuthenticatedRequest, body: StatusIn) -> AgentStatus:
    """Available agents are offered new chats of their teams, round robin,
    up to max_chats at once."""
    require_perm(request.user, Perm.WORK_TICKETS)
    try:
        return actions.do_set_agent_state(request.user, body.state, max_chats=body.max_chats)
    except ValidationError as error:
        raise _invalid(error) from None
