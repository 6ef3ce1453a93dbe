"""Writes of the live chat: visitors and their signed tokens, what they send
(stored raw, then filed into the chat's conversation), routing new chats to
available agents, the closing rules and the visitor's rating.

Every change a socket must hear is sent after commit through
core.realtime: a visitor's socket listens on `visitor_group`, agents on
their own user group and their teams' groups.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carebase.accounts.models import Team
from carebase.chat.models import (
    AgentState,
    AgentStatus,
    Chat,
    ChatRules,
    ChatStatus,
    InboundChatMessage,
    Resolution,
    Visitor,
    Widget,
)
from carebase.core.access import Perm, has_perm
from carebase.core.hours import schedule_for_team
from carebase.core.realtime import (
    ALL_TEAMS_GROUP,
    TRIAGE_GROUP,
    send_to_group,
    send_to_groups,
    send_to_user,
    team_group,
    user_group,
)
from carebase.crm.actions import do_create_contact, find_or_create_contact_by_email
from carebase.tickets.actions import (
    do_add_reply,
    do_add_system_note,
    do_assign,
    do_change_status,
    do_create_ticket,
    do_set_team,
)
from carebase.tickets.attachments import check_sizes, clean_filename
from carebase.tickets.models import Channel, Message, Status, Ticket
from carebase.tickets.notify import announce, muted

logger = logging.getLogger(__name__)

TOKEN_SALT = "carebase.chat.visitor"  # noqa: S105 (a namespace, not a secret)
TOKEN_MAX_AGE = timedelta(days=30)
MAX_TEXT = 5000
# A visitor may send this many messages in RATE_WINDOW; more is a flood.
RATE_LIMIT = 20
RATE_WINDOW = 10  # seconds
SUBJECT_LENGTH = 120


def visitor_group(visitor_id: int) -> str:
    return f"chat.visitor.{visitor_id}"


# --- Visitors ------------------------------------------------------------


def sign_visitor(visitor: Visitor) -> str:
    return signing.dumps({"v": str(visitor.public_id), "w": visitor.widget_id}, salt=TOKEN_SALT)


def visitor_from_token(widget: Widget, token: str) -> Visitor | None:
    """The visitor a token names, if it was signed here for this widget and
    is not too old; None for anything else (tampered, another widget's)."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("w") != widget.pk:
        return None
    return Visitor.objects.filter(widget=widget, public_id=str(data.get("v"))).first()


def do_start_visitor(widget: Widget, *, language: str = "en", page_url: str = "") -> Visitor:
    return Visitor.objects.create(
        widget=widget,
        language="pl" if language.lower().startswith("pl") else "en",
        page_url=page_url[:1000] if page_url.startswith(("http://", "https://")) else "",
    )


def do_identify_visitor(visitor: Visitor, *, name: str, email: str) -> Visitor:
    """The visitor's name and email: their contact becomes the one holding
    that address (or a new one), and so does their open chat's requester."""
    name, email = " ".join(name.split())[:200], email.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Tell us your name.")]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid email address.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contact = find_or_create_contact_by_email(email, name=name, language=visitor.language)
        previous = visitor.contact
        visitor.name, visitor.email, visitor.contact = name, email, contact
        visitor.save(update_fields=["name", "email", "contact"])
        chat = open_chat(visitor)
        if chat is not None and chat.ticket is not None and chat.ticket.requester_id != contact.pk:
            Ticket.objects.filter(pk=chat.ticket.pk).update(requester=contact)
            if previous is not None and not previous.identities.exists():
                # The placeholder made for an anonymous visitor: nobody else has it.
                Message.objects.filter(author_contact=previous).update(author_contact=contact)
    return visitor


def _visitor_contact(visitor: Visitor) -> Any:
    if visitor.contact is None:
        label = _("Chat visitor %(id)s") % {"id": str(visitor.public_id)[:8]}
        visitor.contact = do_create_contact(actor=None, name=label, language=visitor.language)
        visitor.save(update_fields=["contact"])
    return visitor.contact


def open_chat(visitor: Visitor) -> Chat | None:
    return (
        Chat.objects.select_related("ticket")
        .filter(visitor=visitor)
        .exclude(status=ChatStatus.CLOSED)
        .order_by("-started_at")
        .first()
    )


# --- What visitors send --------------------------------------------------


class Flood(Exception):
    """More messages than RATE_LIMIT in RATE_WINDOW: `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def check_rate(visitor: Visitor) -> None:
    """Count one message of the visitor; Flood when over the limit. In the
    cache, so that every server process counts the same (Redis when set).

    Counted in buckets of RATE_WINDOW seconds, and a message is refused when
    its bucket and the one before hold more than RATE_LIMIT together: any
    RATE_WINDOW seconds lie within two buckets, so no burst that straddles a
    bucket's edge gets twice the limit through."""
    now = int(timezone.now().timestamp())
    window = now // RATE_WINDOW
    key = f"chat-rate:{visitor.pk}:{window}"
    cache.add(key, 0, timeout=RATE_WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW * 2)
        count = 1
    if count > RATE_LIMIT:
        raise Flood(RATE_WINDOW - now % RATE_WINDOW or RATE_WINDOW)
    before = cache.get(f"chat-rate:{visitor.pk}:{window - 1}", 0)
    if before + count > RATE_LIMIT:
        raise Flood(RATE_WINDOW - now % RATE_WINDOW or RATE_WINDOW)


@dataclass
class Received:
    inbound: InboundChatMessage
    message: Message | None
    duplicate: bool


def do_receive_visitor_message(visitor: Visitor, *, client_id: str, text: str) -> Received:
    """Store what the visitor sent, raw, then file it. A client_id seen
    before is the widget resending after a reconnect: it files nothing new
    and answers the message already filed."""
    client_id = str(client_id)[:64]
    if not client_id:
        raise ValidationError({"client_id": [_("A message needs its client id.")]})
    text = str(text).replace("\x00", "")
    if not text.strip():
        raise ValidationError({"text": [_("The message is empty.")]})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": [_("A message holds at most %(count)s characters.") % {"count": MAX_TEXT}]}
        )
    try:
        # The raw row and its filing in one transaction: one commit a chat
        # line, not two, and no second read of the row just written. The raw
        # row is still written first; should filing fail, the whole is
        # rolled back and taken the long way below, which keeps the raw row
        # and leaves the filing to the sweep. (Nothing is acknowledged before
        # the commit: a widget that hears nothing sends the line again.)
        with transaction.atomic():
            inbound = InboundChatMessage.objects.create(
                visitor=visitor, client_id=client_id, raw={"text": text}
            )
            inbound.visitor = visitor
            message, opened = _file(inbound)
            inbound.message = message
            inbound.save(update_fields=["message"])
    except IntegrityError:
        existing = InboundChatMessage.objects.filter(visitor=visitor, client_id=client_id).first()
        if existing is not None:  # the same line again: a resend after a reconnect
            if existing.message_id is not None:
                return Received(existing, existing.message, duplicate=True)
            return Received(existing, file_inbound(existing.pk), duplicate=False)
        return _received_the_long_way(visitor, client_id, text)
    except Exception:
        logger.exception("Filing a chat line of visitor %s failed; kept raw", visitor.pk)
        return _received_the_long_way(visitor, client_id, text)
    if opened is not None:
        _route_opened(opened, message, inbound.client_id)
    return Received(inbound, message, duplicate=False)


def _received_the_long_way(visitor: Visitor, client_id: str, text: str) -> Received:
    """Store the raw row on its own, then file it (a failure is recorded on
    the row, for the sweep to file again)."""
    try:
        with transaction.atomic():
            inbound = InboundChatMessage.objects.create(
                visitor=visitor, client_id=client_id, raw={"text": text}
            )
    except IntegrityError:
        inbound = InboundChatMessage.objects.get(visitor=visitor, client_id=client_id)
        if inbound.message_id is not None:
            return Received(inbound, inbound.message, duplicate=True)
    return Received(inbound, file_inbound(inbound.pk), duplicate=False)


def do_receive_visitor_file(visitor: Visitor, *, client_id: str, upload: Any) -> Received:
    """A file from the visitor: stored raw with its row, then filed as a
    message with the file attached. The same client_id again files nothing."""
    client_id = str(client_id)[:64]
    if not client_id:
        raise ValidationError({"client_id": [_("A message needs its client id.")]})
    check_sizes([upload])
    name = clean_filename(upload.name or "file")
    existing = InboundChatMessage.objects.filter(visitor=visitor, client_id=client_id).first()
    if existing is not None:
        return Received(existing, existing.message, duplicate=True)
    try:
        with transaction.atomic():
            inbound = InboundChatMessage(
                visitor=visitor,
                client_id=client_id,
                raw={"file": name, "size": upload.size, "type": upload.content_type or ""},
            )
            inbound.upload.save(name, upload, save=False)
            inbound.save()
    except IntegrityError:
        inbound = InboundChatMessage.objects.get(visitor=visitor, client_id=client_id)
        return Received(inbound, inbound.message, duplicate=True)
    return Received(inbound, file_inbound(inbound.pk), duplicate=False)


def file_inbound(inbound_id: int) -> Message | None:
    """File a stored visitor message into the visitor's open chat (a new
    chat and conversation for the first one). Idempotent: a filed message
    is answered as it is. A failure leaves the raw row for the sweep."""
    try:
        with transaction.atomic():
            inbound = (
                InboundChatMessage.objects.select_for_update(of=("self",))
                .select_related("visitor__widget", "visitor__contact", "message")
                .get(pk=inbound_id)
            )
            if inbound.message is not None:
                return inbound.message
            message, opened = _file(inbound)
            inbound.message, inbound.error = message, ""
            inbound.save(update_fields=["message", "error"])
    except Exception as error:
        logger.exception("Filing chat message %s failed", inbound_id)
        InboundChatMessage.objects.filter(pk=inbound_id).update(error=str(error)[:2000])
        return None
    if opened is not None:
        _route_opened(opened, message, inbound.client_id)
    return message


def _route_opened(opened: Chat, message: Message, client_id: str) -> None:
    # Routed in a transaction of its own, after the chat is filed: the
    # agents' rows stay locked for the routing alone, not for the whole
    # new conversation, or every new chat would wait for the one before.
    try:
        route_new_chat(opened.pk, message, client_id=client_id)
    except Exception:
        logger.exception("Routing chat %s failed; it waits in the queue", opened.pk)


def _file(inbound: InboundChatMessage) -> tuple[Message, Chat | None]:
    """The message filed, and the chat when it opened one (to be routed)."""
    visitor = inbound.visitor
    widget = visitor.widget
    files = []
    if inbound.upload:
        name = inbound.raw.get("file") or "file"
        files = [
            UploadedFile(
                inbound.upload.open("rb"),
                name=name,
                content_type=inbound.raw.get("type") or None,
                size=inbound.upload.size,
            )
        ]
    text = inbound.raw.get("text") or "📎 " + str(inbound.raw.get("file", ""))
    contact = _visitor_contact(visitor)
    chat = open_chat(visitor)
    at = inbound.received_at
    if chat is None or chat.ticket is None or chat.ticket.is_closed:
        first_line = text.strip().splitlines()[0]
        # Muted: the chat's own notices (_route, _tell_queue) tell the open
        # pages once, where each step would tell every agent again.
        with muted():
            ticket = do_create_ticket(
                subject=first_line[:SUBJECT_LENGTH],
                body=text,
                requester=contact,
                channel=Channel.CHAT,
                team=widget.team,
                external_id=f"chat:{visitor.pk}:{inbound.client_id}",
                created_at=at,
                attachments=files,
            )
        chat = Chat.objects.create(widget=widget, visitor=visitor, ticket=ticket, started_at=at)
        message = ticket.opening_message or ticket.messages.get()
        chat.last_visitor_message_at = at
        chat.save(update_fields=["last_visitor_message_at"])
        names = [clean_filename(file.name or "") for file in files]
        payload = message_payload(message, client_id=inbound.client_id, files=names)
        send_to_group(visitor_group(chat.visitor_id), "message", payload)
        return message, chat
    else:
        # A chat line is no news for the inbox, nor an email to the agent,
        # who hears it live: muted (a thousand chats write a line a second).
        with muted():
            message = do_add_reply(
                chat.ticket,
                body=text,
                author_contact=contact,
                channel=Channel.CHAT,
                external_id=f"chat:{visitor.pk}:{inbound.client_id}",
                created_at=at,
                attachments=files,
            )
        Chat.objects.filter(pk=chat.pk).update(last_visitor_message_at=at, checked_in_at=None)
        chat.last_visitor_message_at = at
    names = [clean_filename(file.name or "") for file in files]
    _tell_message(chat, message, client_id=inbound.client_id, files=names)
    return message, None


def route_new_chat(chat_id: int, opening: Message, *, client_id: str = "") -> Chat | None:
    """Route a chat that has just opened, if it still waits, and tell the
    agent who gets it its opening message."""
    with transaction.atomic():
        chat = (
            Chat.objects.select_for_update(of=("self",))
            .select_related("widget", "ticket", "visitor")
            .filter(pk=chat_id, status=ChatStatus.WAITING, agent__isnull=True)
            .first()
        )
        if chat is None:
            return None
        _route(chat)
        if chat.agent_id is not None:
            files = [attachment.filename for attachment in opening.attachments.all()]
            payload = message_payload(opening, client_id=client_id, files=files)
            send_to_user(
                chat.agent_id,
                "chat_message",
                {"chat": chat.pk, "ticket": chat.ticket_id, "message": payload},
            )
    return chat


def message_payload(
    message: Message, *, client_id: str = "", files: list[str] | None = None
) -> dict[str, Any]:
    """A message as the widget shows it (never an internal note); `files`:
    its attachments' names when the caller knows them (no query)."""
    author = ""
    if message.author_user is not None:
        author = message.author_user.first_name or message.author_user.get_username()
    return {
        "id": message.pk,
        "text": message.body_text,
        "files": (
            files
            if files is not None
            else [attachment.filename for attachment in message.attachments.all()]
        ),
        "from": "visitor" if message.from_customer else "agent",
        "author": author,
        "at": message.created_at.isoformat(),
        "client_id": client_id,
    }


def _tell_message(
    chat: Chat, message: Message, *, client_id: str = "", files: list[str] | None = None
) -> None:
    """The message to the visitor's sockets and to the agents of the chat."""
    payload = message_payload(message, client_id=client_id, files=files)
    agent_payload = {"chat": chat.pk, "ticket": chat.ticket_id, "message": payload}
    send_to_groups(
        [
            (visitor_group(chat.visitor_id), "message", payload),
            *((user_group(user_id), "chat_message", agent_payload) for user_id in _agents_of(chat)),
        ]
    )


def _agents_of(chat: Chat) -> set[int]:
    """Who hears a chat's messages live: its agent and the colleagues
    invited into it."""
    ids = {chat.agent_id} if chat.agent_id else set()
    ids.update(chat.invited.values_list("pk", flat=True))
    return ids


def do_invite_to_chat(chat: Chat, colleague: Any, *, actor: Any) -> Chat:
    """Ask a colleague into the chat for advice: they hear it live and write
    in its internal notes, which the visitor does not see."""
    if not has_perm(colleague, Perm.WORK_TICKETS) or colleague.pk == actor.pk:
        raise ValidationError({"agent": [_("%(name)s cannot take chats.") % {"name": colleague}]})
    if chat.status == ChatStatus.CLOSED:
        raise ValidationError(_("This chat is closed."))
    with transaction.atomic():
        if chat.invited.filter(pk=colleague.pk).exists():
            return chat
        chat.invited.add(colleague)
        if chat.ticket is not None:
            do_add_system_note(
                chat.ticket,
                body=_("%(actor)s asked %(colleague)s for advice.")
                % {
                    "actor": actor.get_full_name() or actor,
                    "colleague": colleague.get_full_name() or colleague,
                },
            )
        send_to_user(
            colleague.pk,
            "chat_invited",
            {
                "chat": chat.pk,
                "ticket": chat.ticket_id,
                "toast": _("%(actor)s asks for your advice in a chat")
                % {"actor": actor.get_full_name() or actor},
            },
        )
    return chat


# --- Routing ----------------------------------------------------------------


def agents_available(widget: Widget) -> bool:
    """Whether the widget has anyone to chat with now: in its team's business
    hours (the team's calendar, else the desk's) and an available agent of
    its team."""
    team = widget.team if widget.team_id else None
    return schedule_for_team(team).is_open(timezone.now()) and _candidates(widget.team_id).exists()


def _candidates(team_id: int | None) -> Any:
    statuses = AgentStatus.objects.filter(
        state=AgentState.AVAILABLE, user__is_active=True
    ).select_related("user")
    if team_id is not None:
        statuses = statuses.filter(user__teams=team_id)
    return statuses


def _route(chat: Chat) -> None:
    """Give a new chat to the available agent of its team who has room and
    has waited longest since their last one; nobody: it waits in the queue."""
    busy = dict(
        Chat.objects.filter(status=ChatStatus.ACTIVE, agent__isnull=False)
        .values_list("agent")
        .annotate(count=Count("id"))
        .values_list("agent", "count")
    )
    # The conversation's team (a chat may have been transferred), else the widget's.
    team_id = chat.ticket.team_id if chat.ticket is not None else chat.widget.team_id
    # Locked in one order (by user), whatever the round robin's: two chats
    # routed at once would otherwise lock the agents crosswise and deadlock.
    locked = list(_candidates(team_id).select_for_update(of=("self",)).order_by("user_id"))
    never = timezone.now() - timedelta(days=36500)
    locked.sort(key=lambda status: (status.last_offered_at or never, status.user_id))
    for status in locked:
        if busy.get(status.user_id, 0) >= status.max_chats:
            continue
        if not has_perm(status.user, Perm.WORK_TICKETS):
            continue
        status.last_offered_at = timezone.now()
        status.save(update_fields=["last_offered_at"])
        _give(chat, status.user, actor=None)
        return
    _tell_queue(chat)


def _give(chat: Chat, agent: Any, *, actor: Any) -> None:
    chat.agent, chat.status = agent, ChatStatus.ACTIVE
    chat.save(update_fields=["agent", "status"])
    if chat.ticket is not None:
        with muted():  # the agent hears chat_assigned; the pages hear _tell_queue
            do_assign(chat.ticket, agent, actor=actor)
    send_to_user(
        agent.pk,
        "chat_assigned",
        {
            "chat": chat.pk,
            "ticket": chat.ticket_id,
            "toast": _("New chat: %(visitor)s") % {"visitor": chat.visitor},
        },
    )
    send_to_group(
        visitor_group(chat.visitor_id),
        "agent",
        {"name": agent.first_name or agent.get_username()},
    )
    _tell_queue(chat)


def _tell_queue(chat: Chat) -> None:
    """The open workspaces refresh their queue."""
    if chat.ticket is not None:
        announce(chat.ticket)
    payload = {"chat": chat.pk}
    send_to_group(ALL_TEAMS_GROUP, "chats_changed", payload)
    send_to_group(
        team_group(chat.widget.team_id) if chat.widget.team_id else TRIAGE_GROUP,
        "chats_changed",
        payload,
    )


def do_take_chat(chat: Chat, agent: Any) -> Chat:
    """An agent picks a chat from the queue (or takes one over)."""
    with transaction.atomic():
        chat = (
            Chat.objects.select_for_update(of=("self",))
            .select_related("ticket", "widget")
            .get(pk=chat.pk)
        )
        if chat.status == ChatStatus.CLOSED:
            raise ValidationError(_("This chat is closed."))
        if chat.agent_id == agent.pk:
            return chat
        previous = chat.agent
        _give(chat, agent, actor=agent)
        if previous is not None and chat.ticket is not None:
            do_add_system_note(
                chat.ticket,
                body=_("%(agent)s took the chat over from %(previous)s.")
                % {"agent": agent.get_full_name() or agent, "previous": previous},
            )
    return chat


def do_transfer_chat(chat: Chat, to: Any, *, actor: Any) -> Chat:
    """Hand the chat to another agent, who must be able to work it."""
    if not has_perm(to, Perm.WORK_TICKETS):
        raise ValidationError({"agent": [_("%(name)s cannot take chats.") % {"name": to}]})
    with transaction.atomic():
        chat = (
            Chat.objects.select_for_update(of=("self",))
            .select_related("ticket", "widget")
            .get(pk=chat.pk)
        )
        if chat.status == ChatStatus.CLOSED:
            raise ValidationError(_("This chat is closed."))
        _give(chat, to, actor=actor)
        if chat.ticket is not None:
            do_add_system_note(
                chat.ticket,
                body=_("%(actor)s transferred the chat to %(agent)s.")
                % {"actor": actor.get_full_name() or actor, "agent": to.get_full_name() or to},
            )
    return chat


def do_transfer_chat_to_team(chat: Chat, team: Team, *, actor: Any) -> Chat:
    """Hand the chat to another team: it goes to their available agent, or
    waits in their queue."""
    with transaction.atomic():
        chat = (
            Chat.objects.select_for_update(of=("self",))
            .select_related("ticket", "widget")
            .get(pk=chat.pk)
        )
        if chat.status == ChatStatus.CLOSED or chat.ticket is None:
            raise ValidationError(_("This chat is closed."))
        do_set_team(chat.ticket, team, actor=actor)
        if chat.ticket.assignee_id is not None:
            do_assign(chat.ticket, None, actor=actor)
        do_add_system_note(
            chat.ticket,
            body=_("%(actor)s transferred the chat to the team %(team)s.")
            % {"actor": actor.get_full_name() or actor, "team": team.name},
        )
        chat.agent, chat.status = None, ChatStatus.WAITING
        chat.save(update_fields=["agent", "status"])
        _route(chat)
    return chat


def do_set_agent_state(user: Any, state: str, *, max_chats: int | None = None) -> AgentStatus:
    if state not in AgentState.values:
        raise ValidationError({"state": [_("“%(value)s” is not a status.") % {"value": state}]})
    if max_chats is not None and not 1 <= max_chats <= 20:
        raise ValidationError({"max_chats": [_("Take between 1 and 20 chats at once.")]})
    status, _created = AgentStatus.objects.get_or_create(user=user)
    status.state, status.changed_at = state, timezone.now()
    if max_chats is not None:
        status.max_chats = max_chats
    status.save()
    if state == AgentState.AVAILABLE:
        transaction.on_commit(lambda: route_waiting_chats(user))
    return status


def route_waiting_chats(user: Any | None = None) -> int:
    """Chats waiting in the queue go to agents who have become available."""
    routed = 0
    for chat in Chat.objects.filter(status=ChatStatus.WAITING).select_related("widget", "ticket"):
        with transaction.atomic():
            _route(chat)
        routed += chat.status == ChatStatus.ACTIVE
    return routed


# --- Agents' replies, closing and rating -----------------------------------


def deliver_reply(message: Message) -> bool:
    """A public reply on a chat conversation: to the visitor's sockets. The
    chat becomes its author's if nobody had it."""
    chat = Chat.objects.filter(ticket=message.ticket_id).select_related("widget").first()
    if chat is None or message.from_customer:
        return False
    Chat.objects.filter(pk=chat.pk).update(last_agent_message_at=message.created_at)
    if chat.status == ChatStatus.WAITING and message.author_user is not None:
        chat.agent, chat.status = message.author_user, ChatStatus.ACTIVE
        chat.save(update_fields=["agent", "status"])
        _tell_queue(chat)
    _tell_message(chat, message)
    return chat.status != ChatStatus.CLOSED


def mark_read_by_agent(chat: Chat, message_id: int) -> None:
    """The chat's agent has seen its messages up to this one: the widget
    marks the visitor's messages read."""
    if message_id <= chat.agent_read_id:
        return
    Chat.objects.filter(pk=chat.pk, agent_read_id__lt=message_id).update(agent_read_id=message_id)
    chat.agent_read_id = message_id
    send_to_group(visitor_group(chat.visitor_id), "read", {"id": message_id})


def do_close_chat(chat: Chat, *, actor: Any, resolution: str, reason: str = "") -> Chat:
    """Close a chat by the head's rules: always with a resolution, and with
    a reason when the visitor's last message has no answer."""
    reason = " ".join(reason.split())[:300]
    if resolution not in Resolution.values:
        raise ValidationError(
            {"resolution": [_("Choose how the chat ended: resolved, follow up or spam.")]}
        )
    with transaction.atomic():
        chat = (
            Chat.objects.select_for_update(of=("self",))
            .select_related("ticket", "visitor")
            .get(pk=chat.pk)
        )
        if chat.status == ChatStatus.CLOSED:
            raise ValidationError(_("This chat is closed."))
        if (
            chat.awaits_answer
            and not reason
            and resolution != Resolution.SPAM
            and actor is not None
            and ChatRules.current().reason_for_unanswered
        ):
            raise ValidationError(
                {
                    "reason": [
                        _(
                            "The visitor's last message has no answer: answer it, or say why"
                            " the chat closes without one."
                        )
                    ]
                }
            )
        now = timezone.now()
        chat.status, chat.closed_at = ChatStatus.CLOSED, now
        chat.resolution, chat.close_reason = resolution, reason
        chat.save(update_fields=["status", "closed_at", "resolution", "close_reason"])
        ticket = chat.ticket
        if ticket is not None and not ticket.is_closed:
            note = _("Chat closed: %(resolution)s.") % {"resolution": Resolution(resolution).label}
            if reason:
                note += " " + reason
            do_add_system_note(ticket, body=note)
            if resolution == Resolution.RESOLVED:
                do_change_status(ticket, Status.SOLVED, actor=actor)
            elif resolution == Resolution.SPAM:
                do_change_status(ticket, Status.CLOSED, actor=actor)
            # Follow up: the conversation stays open in the queue as a ticket.
        send_to_group(
            visitor_group(chat.visitor_id),
            "closed",
            {"chat": chat.pk, "rate": resolution != Resolution.SPAM},
        )
        _tell_queue(chat)
    return chat


def do_rate_chat(visitor: Visitor, *, rating: Any, comment: str = "") -> Chat:
    """The visitor's rating (1 to 5 and a comment) of their last closed chat."""
    try:
        score = int(rating)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"rating": [_("Rate from 1 to 5.")]})
    chat = (
        Chat.objects.filter(visitor=visitor, status=ChatStatus.CLOSED)
        .order_by("-closed_at")
        .first()
    )
    if chat is None:
        raise ValidationError(_("There is no closed chat to rate."))
    chat.rating, chat.rating_comment = score, str(comment).strip()[:2000]
    chat.save(update_fields=["rating", "rating_comment"])
    return chat


def do_leave_offline_message(
    widget: Widget, *, name: str, email: str, text: str, visitor: Visitor | None = None
) -> Ticket:
    """Nobody to chat with: the message becomes an email conversation, so
    that the answer reaches the visitor by email."""
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email.strip())
    except ValidationError:
        errors["email"] = [_("Enter a valid email address.")]
    if not text.strip():
        errors["text"] = [_("The message is empty.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contact = find_or_create_contact_by_email(email.strip(), name=name)
        return do_create_ticket(
            subject=text.strip().splitlines()[0][:SUBJECT_LENGTH],
            body=text,
            requester=contact,
            channel=Channel.EMAIL,
            team=widget.team,
        )


def visitor_messages(visitor: Visitor, *, after: int = 0) -> list[dict[str, Any]]:
    """The public messages of the visitor's open chat after this id: what a
    widget that reconnects has missed."""
    chat = open_chat(visitor)
    if chat is None or chat.ticket_id is None:
        return []
    rows = (
        Message.objects.filter(ticket=chat.ticket_id, kind="reply", pk__gt=after)
        .select_related("author_user")
        .order_by("created_at", "id")
    )
    return [message_payload(message) for message in rows]


def file_stranded_messages(older_than: timedelta = timedelta(seconds=30)) -> int:
    """The sweep: stored visitor messages that were never filed (a crash)."""
    horizon = timezone.now() - older_than
    ids = InboundChatMessage.objects.filter(
        Q(message__isnull=True), received_at__lt=horizon
    ).values_list("pk", flat=True)[:500]
    return sum(file_inbound(pk) is not None for pk in list(ids))


# --- The head's rules: idle chats, transcripts ------------------------------


def do_update_chat_rules(*, actor: Any, **values: Any) -> ChatRules:
    rules = ChatRules.current()
    for name, value in values.items():
        setattr(rules, name, value)
    rules.full_clean()
    if rules.checkin_after_minutes and not rules.close_after_minutes:
        raise ValidationError(
            {"close_after_minutes": [_("Give the visitor at least a minute to answer.")]}
        )
    rules.updated_at, rules.updated_by = timezone.now(), actor
    rules.save()
    return rules


def do_sweep_idle_chats() -> tuple[int, int]:
    """Chats whose visitor fell silent after an answer: a check-in message
    once, then closing as resolved. Idempotent: a chat is checked in once
    (checked_in_at) and closed once. (checked in, closed)."""
    rules = ChatRules.current()
    if not rules.checkin_after_minutes:
        return 0, 0
    now = timezone.now()
    checked = closed = 0
    quiet = Chat.objects.filter(
        status=ChatStatus.ACTIVE,
        agent__isnull=False,
        ticket__isnull=False,
        last_agent_message_at__isnull=False,
    ).select_related("agent", "visitor", "ticket")
    due_checkin = quiet.filter(
        checked_in_at__isnull=True,
        last_agent_message_at__lt=now - timedelta(minutes=rules.checkin_after_minutes),
    )
    for chat in due_checkin:
        if chat.awaits_answer or chat.ticket is None:
            continue  # the visitor waits for the agent, not the other way round
        with transaction.atomic():
            if not Chat.objects.filter(pk=chat.pk, checked_in_at__isnull=True).update(
                checked_in_at=now
            ):
                continue  # another sweep got there first
            text = rules.checkin_pl if chat.visitor.language == "pl" else rules.checkin_en
            do_add_reply(
                chat.ticket,
                body=text,
                author_user=chat.agent,
                external_id=f"chat-checkin:{chat.pk}",
            )
        checked += 1
    due_close = quiet.filter(checked_in_at__lt=now - timedelta(minutes=rules.close_after_minutes))
    for chat in due_close:
        answered = chat.last_visitor_message_at
        if answered and chat.checked_in_at and answered > chat.checked_in_at:
            continue  # the visitor answered the check-in
        reason = _("No answer from the visitor for %(minutes)s minutes after the check-in.") % {
            "minutes": rules.close_after_minutes
        }
        try:
            do_close_chat(chat, actor=None, resolution=Resolution.RESOLVED, reason=reason)
        except ValidationError:
            continue  # closed meanwhile
        closed += 1
    return checked, closed


def do_send_transcript(visitor: Visitor) -> Chat:
    """The visitor's latest chat by email to the address they gave."""
    if not visitor.email:
        raise ValidationError({"email": [_("Leave your email first, to get the transcript.")]})
    chat = (
        Chat.objects.filter(visitor=visitor, ticket__isnull=False).order_by("-started_at").first()
    )
    if chat is None:
        raise ValidationError(_("There is no chat to send yet."))
    from carebase.chat.tasks import send_transcript

    transaction.on_commit(lambda: send_transcript.enqueue(chat.pk))
    return chat


def transcript_text(chat: Chat) -> str:
    """The chat's public messages as plain text, for the visitor."""
    lines = []
    assert chat.ticket is not None
    for message in chat.ticket.messages.filter(kind="reply").select_related("author_user"):
        who = (
            chat.visitor.name or _("You")
            if message.from_customer
            else (message.author_user.first_name if message.author_user else _("Support"))
        )
        stamp = timezone.localtime(message.created_at).strftime("%Y-%m-%d %H:%M")
        lines.append(f"[{stamp}] {who}:\n{message.body_text}\n")
    return "\n".join(lines)
