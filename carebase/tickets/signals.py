"""What tickets tells the apps built on it (the queue's rules and SLA clocks in
workflow), without importing them.

`ticket_arriving` is sent by do_create_ticket before the conversation is
saved, with an `Arrival`: receivers may fill in what the caller left open
(type, priority, team, tags) and ask for work to run once the row exists.
`ticket_changed` is sent inside the transaction of each change that clocks
care about; `change` is one of CHANGES."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.dispatch import Signal

if TYPE_CHECKING:
    from carebase.tickets.models import Ticket

ticket_arriving = Signal()  # sender=Ticket, arrival=Arrival
ticket_changed = Signal()  # sender=Ticket, ticket, change, at, actor, old, new, message

CHANGES = (
    "created",  # new: the status
    "agent_replied",  # message; new: True when it was the first response
    "status",  # old, new: statuses
    "priority",  # old, new: priorities
    "type",  # old, new: request types
)


@dataclass
class Arrival:
    ticket: Ticket  # not saved yet
    body: str
    # Where it came from beyond the channel: {"mailbox": name, "form.<field>": value}.
    source: Mapping[str, str]
    # The fields its caller chose; rules fill in only the others.
    given: frozenset[str]
    tags: list[str] = field(default_factory=list)
    # The rules that matched, in order: {"rule": name, "rule_id": id, "set": {field: value}}.
    applied: list[dict[str, Any]] = field(default_factory=list)
    # Why a field has its value: {"priority": "Phone before email"}.
    reasons: dict[str, str] = field(default_factory=dict)
    # Run in the same transaction once the ticket has its id.
    after_save: list[Callable[[Ticket], Any]] = field(default_factory=list)
