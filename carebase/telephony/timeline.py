"""The calls of a conversation on its timeline, with their recordings for
whom may hear them; and of a contact, on the contact's page."""

from __future__ import annotations

from typing import Any

from carebase.core.access import Perm, has_perm
from carebase.core.navigation import Panel
from carebase.telephony.access import calls_for, can_hear
from carebase.telephony.models import Callback
from carebase.tickets.models import Ticket
from carebase.tickets.timeline import Entry


def call_entries(ticket: Ticket, user: Any) -> list[Entry]:
    calls = list(
        calls_for(user).filter(ticket=ticket).select_related("agent").order_by("started_at")
    )
    if not calls:
        return []
    callback = Callback.objects.filter(ticket=ticket).first()
    can_work = has_perm(user, Perm.WORK_TICKETS)
    first = calls[0].pk
    return [
        Entry(
            at=call.started_at,
            template="telephony/_timeline_call.html",
            context={
                "call": call,
                "can_hear": can_hear(user, call),
                "can_work": can_work,
                "callback": {"callback": callback, "first_call": first} if callback else None,
            },
        )
        for call in calls
    ]


SHOWN_CALLS = 10


def contact_calls_panel(contact: Any, user: Any) -> Panel | None:
    """A contact's latest calls, on the contact's page."""
    if not has_perm(user, Perm.VIEW_CALLS):
        return None
    calls = list(calls_for(user).filter(contact=contact).select_related("agent")[: SHOWN_CALLS + 1])
    context = {"calls": calls[:SHOWN_CALLS], "more": len(calls) > SHOWN_CALLS, "contact": contact}
    return Panel("telephony/_contact_calls.html", context, order=20)
