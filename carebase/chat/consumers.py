"""The visitor's socket: `/ws/chat/<widget key>/?token=...&after=<id>`.

It is not behind the agents' allowed-hosts check, since the widget runs on
the client's own site: it checks the Origin header against the widget's
allowed sites instead, and refuses any other with close code 4403. A token
that is not valid for the widget closes with 4401 (the widget then starts
afresh); no token: a new visitor, whose token is the first frame.

Frames from the widget: {"type": "message", "client_id", "text"},
{"type": "typing"}, {"type": "read", "id"}, {"type": "identify", "name",
"email"}, {"type": "rate", "rating", "comment"}, {"type": "offline", "name",
"email", "text"} (nobody available: an email conversation), {"type":
"transcript"} (the chat by email), {"type": "ping"}. To the
widget: "welcome" (token, settings, missed messages), "message" (with the
client_id of the visitor's own, which acknowledges it), "typing", "read",
"agent", "closed", "error" (with "code": rate_limited and "retry_after",
or invalid with "detail").
"""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.core.exceptions import ValidationError
from django.utils import timezone

from carebase.chat import actions
from carebase.chat.models import Visitor, Widget
from carebase.core.consumers import Socket
from carebase.core.realtime import send_to_user

# Visitors' messages are filed in threads of their own, not the process's one
# thread for the database: one message waiting on the database must not hold
# up the rest. Each thread keeps its connection (CONN_MAX_AGE).
FILING_THREADS = 8
filing = ThreadPoolExecutor(max_workers=FILING_THREADS, thread_name_prefix="chat-filing")


def close_filing_connections() -> None:
    """Close the database connections of every filing thread (tests: so that
    the test database can be dropped)."""
    from django.db import connections

    barrier = threading.Barrier(FILING_THREADS)

    def close() -> None:
        connections.close_all()
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=5)  # each thread takes one: all of them close

    for future in [filing.submit(close) for _ in range(FILING_THREADS)]:
        future.result()


class VisitorConsumer(Socket):
    visitor: Visitor | None = None

    async def connect(self) -> None:
        key = self.scope["url_route"]["kwargs"]["key"]
        headers = dict(self.scope.get("headers", []))
        origin = headers.get(b"origin", b"").decode("latin-1")
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        token = (query.get("token") or [""])[0]
        widget = await self._widget(key)
        if widget is None or not widget.allows(origin):
            await self.close(code=4403)
            return
        language = (query.get("lang") or ["en"])[0]
        page = (query.get("page") or [""])[0]
        if token:
            visitor = await database_sync_to_async(actions.visitor_from_token)(widget, token)
            if visitor is None:
                await self.close(code=4401)
                return
        else:
            visitor = await database_sync_to_async(actions.do_start_visitor)(
                widget, language=language, page_url=page
            )
        self.visitor, self.widget = visitor, widget
        self.group = actions.visitor_group(visitor.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        try:
            after = int((query.get("after") or ["0"])[0])
        except ValueError:
            after = 0
        await self.send_json({"type": "welcome", **await self._welcome(after)})

    @database_sync_to_async
    def _widget(self, key: str) -> Widget | None:
        return Widget.objects.filter(key=key, active=True).select_related("team").first()

    @database_sync_to_async
    def _welcome(self, after: int) -> dict[str, Any]:
        assert self.visitor is not None
        Visitor.objects.filter(pk=self.visitor.pk).update(last_seen_at=timezone.now())
        chat = actions.open_chat(self.visitor)
        return {
            "token": actions.sign_visitor(self.visitor),
            "visitor": {"name": self.visitor.name, "email": self.visitor.email},
            "ask_identity": self.widget.ask_identity,
            "greeting": {"en": self.widget.greeting_en, "pl": self.widget.greeting_pl},
            "online": actions.agents_available(self.widget),
            "chat": (
                {
                    "status": chat.status,
                    "agent": chat.agent.first_name if chat.agent else "",
                    "agent_read": chat.agent_read_id,
                }
                if chat is not None
                else None
            ),
            "messages": actions.visitor_messages(self.visitor, after=after),
        }

    async def disconnect(self, code: int) -> None:
        if self.visitor is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or self.visitor is None:
            return
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "message":
            await self._message(content)
        elif kind == "typing":
            await database_sync_to_async(self._typing)()
        elif kind == "read":
            await database_sync_to_async(self._read)(content.get("id"))
        elif kind == "identify":
            await self._identify(content)
        elif kind == "rate":
            await self._rate(content)
        elif kind == "offline":
            await self._offline(content)
        elif kind == "transcript":
            await self._transcript()

    async def _message(self, content: dict[str, Any]) -> None:
        client_id = str(content.get("client_id", ""))
        try:
            received = await database_sync_to_async(
                _receive, thread_sensitive=False, executor=filing
            )(self.visitor, client_id, content.get("text", ""))
        except actions.Flood as flood:
            await self.send_json(
                {
                    "type": "error",
                    "code": "rate_limited",
                    "client_id": client_id,
                    "retry_after": flood.retry_after,
                }
            )
            return
        except ValidationError as error:
            await self._invalid(error, client_id)
            return
        if received.duplicate and received.message is not None:
            # Acknowledge again: the first acknowledgement was lost with the connection.
            payload = await database_sync_to_async(actions.message_payload)(
                received.message, client_id=client_id
            )
            await self.send_json({"type": "message", **payload})

    async def _invalid(self, error: ValidationError, client_id: str = "") -> None:
        detail = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        await self.send_json(
            {"type": "error", "code": "invalid", "client_id": client_id, "detail": detail}
        )

    def _typing(self) -> None:
        assert self.visitor is not None
        chat = actions.open_chat(self.visitor)
        if chat is not None and chat.agent_id:
            send_to_user(chat.agent_id, "chat_typing", {"chat": chat.pk, "ticket": chat.ticket_id})

    def _read(self, message_id: Any) -> None:
        assert self.visitor is not None
        try:
            up_to = int(message_id)
        except (TypeError, ValueError):
            return
        chat = actions.open_chat(self.visitor)
        if chat is None or up_to <= chat.visitor_read_id:
            return
        type(chat).objects.filter(pk=chat.pk).update(visitor_read_id=up_to)
        if chat.agent_id:
            send_to_user(chat.agent_id, "chat_read", {"chat": chat.pk, "id": up_to})

    async def _identify(self, content: dict[str, Any]) -> None:
        try:
            visitor = await database_sync_to_async(actions.do_identify_visitor)(
                self.visitor, name=str(content.get("name", "")), email=str(content.get("email", ""))
            )
        except ValidationError as error:
            await self._invalid(error)
            return
        self.visitor = visitor
        await self.send_json(
            {"type": "identified", "visitor": {"name": visitor.name, "email": visitor.email}}
        )

    async def _rate(self, content: dict[str, Any]) -> None:
        try:
            await database_sync_to_async(actions.do_rate_chat)(
                self.visitor, rating=content.get("rating"), comment=str(content.get("comment", ""))
            )
        except ValidationError as error:
            await self._invalid(error)
            return
        await self.send_json({"type": "rated"})

    async def _offline(self, content: dict[str, Any]) -> None:
        """Nobody to chat with: the message is left as an email conversation."""
        try:
            await database_sync_to_async(actions.check_rate)(self.visitor)
            await database_sync_to_async(actions.do_leave_offline_message)(
                self.widget,
                name=str(content.get("name", "")),
                email=str(content.get("email", "")),
                text=str(content.get("text", ""))[: actions.MAX_TEXT],
            )
        except actions.Flood as flood:
            await self.send_json(
                {"type": "error", "code": "rate_limited", "retry_after": flood.retry_after}
            )
            return
        except ValidationError as error:
            await self._invalid(error)
            return
        await self.send_json({"type": "offline_sent"})

    async def _transcript(self) -> None:
        try:
            await database_sync_to_async(actions.check_rate)(self.visitor)
            await database_sync_to_async(actions.do_send_transcript)(self.visitor)
        except actions.Flood as flood:
            await self.send_json(
                {"type": "error", "code": "rate_limited", "retry_after": flood.retry_after}
            )
            return
        except ValidationError as error:
            await self._invalid(error)
            return
        assert self.visitor is not None
        await self.send_json({"type": "transcript_sent", "email": self.visitor.email})

    async def live_event(self, message: dict[str, Any]) -> None:
        """What the server sent to this visitor (core.realtime): as widget frames."""
        await self.send_json({"type": message["event"], **message["payload"]})


def _receive(visitor: Visitor, client_id: str, text: Any) -> actions.Received:
    """Count and file a visitor's message, in one trip to a filing thread."""
    actions.check_rate(visitor)
    return actions.do_receive_visitor_message(visitor, client_id=client_id, text=text)
