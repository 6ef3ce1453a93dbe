"""The demo's live chat: a widget for the company's site (allowed on the
demo server itself, so that its test page works with `make run`), the
agents' chat statuses, the demo's chat conversations as chats (closed ones
with their resolution and the visitor's rating), and two visitors waiting
in the queue right now.

Seeded once: when a widget exists, nothing is added.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from django.utils import timezone

from carebase.accounts.models import Team
from carebase.chat.actions import do_receive_visitor_message, do_start_visitor
from carebase.chat.models import (
    AgentState,
    AgentStatus,
    AskIdentity,
    Chat,
    ChatStatus,
    Resolution,
    Visitor,
    Widget,
)
from carebase.tickets.models import Channel, Status, Ticket
from carebase.tickets.notify import muted

COMMENTS = [
    "Szybko i konkretnie, dziękuję!",
    "Pomocna konsultantka.",
    "Trochę długo czekałem na odpowiedź.",
    "Great help, thanks.",
    "",
]
WAITING = [
    ("pl", "Dzień dobry, nie widzę nagrań rozmów z wczoraj. Czy coś się zmieniło?"),
    ("en", "Hi, can I change the number our calls come from?"),
]


def _origins() -> list[str]:
    port = os.environ.get("PORT", "8000")
    return [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]


def seed(context: Any) -> None:
    if Widget.objects.exists():
        return
    support = Team.objects.filter(slug="support").first()
    widget = Widget.objects.create(
        name="callflow.example",
        team=support,
        allowed_origins=_origins(),
        ask_identity=AskIdentity.DURING,
    )
    agents = list(support.members.order_by("username")) if support else []
    for number, agent in enumerate(agents):
        state = AgentState.AWAY if number == len(agents) - 1 else AgentState.OFFLINE
        AgentStatus.objects.update_or_create(user=agent, defaults={"state": state, "max_chats": 3})
    with muted():
        _chats_of_demo_conversations(context, widget)
        for language, text in WAITING:
            visitor = do_start_visitor(
                widget, language=language, page_url="https://callflow.example/cennik"
            )
            do_receive_visitor_message(visitor, client_id="demo-1", text=text)


def _chats_of_demo_conversations(context: Any, widget: Widget) -> None:
    """A chat row for each chat conversation the tickets demo made: who had
    it, how it ended and how the visitor rated it."""
    rng = context.random
    now = timezone.now()
    tickets = Ticket.objects.filter(channel=Channel.CHAT).select_related("requester", "assignee")
    for ticket in tickets.order_by("created_at"):
        contact = ticket.requester
        email = next(iter(contact.emails), "")
        visitor = Visitor.objects.create(
            widget=widget,
            name=contact.name,
            email=email,
            contact=contact,
            language=contact.language,
            page_url="https://callflow.example/pomoc",
            created_at=ticket.created_at,
            last_seen_at=ticket.created_at,
        )
        done = ticket.status in (Status.SOLVED, Status.CLOSED)
        messages = ticket.messages.filter(kind="reply").order_by("created_at")
        last_customer = messages.filter(from_customer=True).last()
        last_agent = messages.filter(from_customer=False).last()
        chat = Chat(
            widget=widget,
            visitor=visitor,
            ticket=ticket,
            agent=ticket.assignee,
            status=ChatStatus.CLOSED if done else ChatStatus.ACTIVE,
            started_at=ticket.created_at,
            last_visitor_message_at=last_customer.created_at if last_customer else None,
            last_agent_message_at=last_agent.created_at if last_agent else None,
        )
        if not done and (ticket.assignee is None or ticket.created_at < now - timedelta(hours=2)):
            # An old open one is a chat that ended unresolved and goes on as a ticket.
            chat.status, chat.resolution = ChatStatus.CLOSED, Resolution.FOLLOW_UP
            chat.close_reason = "Wymaga sprawdzenia przez dział techniczny."
            chat.closed_at = ticket.created_at + timedelta(minutes=rng.randint(5, 30))
        elif done:
            chat.resolution = Resolution.RESOLVED if rng.random() < 0.92 else Resolution.SPAM
            chat.closed_at = ticket.solved_at or ticket.updated_at
            if chat.resolution == Resolution.RESOLVED and rng.random() < 0.6:
                chat.rating = rng.choices([5, 4, 3, 2, 1], weights=[55, 25, 10, 6, 4])[0]
                chat.rating_comment = rng.choice(COMMENTS)
        chat.save()
