"""The chat's side of its conversations: agents' replies reach the
visitor's socket, and what agents type is shown in the widget."""

from __future__ import annotations

from typing import Any

from carebase.chat import actions
from carebase.chat.models import Chat, ChatStatus
from carebase.core.access import Perm, has_perm
from carebase.core.realtime import send_to_group
from carebase.tickets.access import tickets_for
from carebase.tickets.channels import Delivery
from carebase.tickets.models import Message


class ChatChannel:
    def deliver(self, message: Message) -> bool:
        return actions.deliver_reply(message)

    def deliveries(self, messages: list[Message]) -> dict[int, Delivery]:
        """An agent's chat reply is delivered once sent to the socket, and
        read once the visitor's widget has shown it."""
        from django.utils.translation import gettext as _

        replies = [
            m for m in messages if m.channel == "chat" and not m.from_customer and m.is_public
        ]
        if not replies:
            return {}
        read = dict(
            Chat.objects.filter(ticket__in={m.ticket_id for m in replies}).values_list(
                "ticket_id", "visitor_read_id"
            )
        )
        return {
            m.pk: (
                Delivery("sent", _("Read"))
                if read.get(m.ticket_id, 0) >= m.pk
                else Delivery("sent", _("Delivered"))
            )
            for m in replies
            if m.ticket_id in read
        }

    def originals(self, messages: list[Message]) -> dict[int, str]:
        return {}


def agent_typing(user: Any, payload: dict[str, Any]) -> None:
    """An agent types in a chat conversation's reply box: the widget shows it."""
    try:
        ticket_id = int(payload["ticket"])
    except (KeyError, TypeError, ValueError):
        return
    if not has_perm(user, Perm.WORK_TICKETS) or not tickets_for(user).filter(pk=ticket_id).exists():
        return
    chat = Chat.objects.filter(ticket=ticket_id).exclude(status=ChatStatus.CLOSED).first()
    if chat is not None:
        name = user.first_name or user.get_username()
        send_to_group(actions.visitor_group(chat.visitor_id), "typing", {"agent": name})
