"""Who sees which chats: an agent sees the chats whose conversations they
see (tickets.access), and works them with WORK_TICKETS."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from carebase.chat.models import Chat
from carebase.core.access import Perm, require_perm
from carebase.tickets.access import tickets_for


def chats_for(user: Any) -> QuerySet[Chat]:
    """The chats of the conversations one sees, and those one was asked into."""
    seen = Q(ticket__in=tickets_for(user).values("pk"))
    if user.is_authenticated:
        seen |= Q(pk__in=Chat.invited.through.objects.filter(user=user).values("chat_id"))
    return Chat.objects.filter(seen)


def access_chat(user: Any, pk: int) -> Chat:
    require_perm(user, Perm.WORK_TICKETS)
    chat = (
        chats_for(user)
        .select_related("ticket", "visitor", "widget", "agent", "ticket__requester")
        .filter(pk=pk)
        .first()
    )
    if chat is None:
        raise Http404
    return chat
