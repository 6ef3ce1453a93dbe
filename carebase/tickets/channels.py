"""How a channel app (email now; chat and messengers later) takes part in
its conversations without the tickets app importing it: it registers itself
for its `Channel` value in its AppConfig.ready().

- `deliver(message)`: a public agent reply was just stored (inside its
  transaction); the channel takes it for delivery and answers True when the
  customer will get it that way, so no notification email goes out besides.
- `deliveries(messages)`: how far each outgoing message got, to show on the
  timeline.
- `originals(messages)`: where the message as received can be seen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from carebase.tickets.models import Message


@dataclass(frozen=True)
class Delivery:
    state: str  # "queued", "sent", "failed"
    label: str
    detail: str = ""


def deliveries_of(outgoing: Iterable[Any], labels: dict[str, Any]) -> dict[int, Delivery]:
    """The Delivery of each row of a channel's outgoing table (its
    ticket_message_id, status among `labels` and last_error)."""
    return {
        row.ticket_message_id: Delivery(
            state=row.status, label=str(labels[row.status]), detail=row.last_error
        )
        for row in outgoing
    }


class ReplyChannel(Protocol):
    def deliver(self, message: Message) -> bool: ...

    def deliveries(self, messages: list[Message]) -> dict[int, Delivery]: ...

    def originals(self, messages: list[Message]) -> dict[int, str]: ...


_CHANNELS: dict[str, ReplyChannel] = {}


def register(channel: str, implementation: ReplyChannel) -> None:
    _CHANNELS[channel] = implementation


def _implementations() -> list[ReplyChannel]:
    """Each implementation once, though it may serve several channels."""
    return list({id(found): found for found in _CHANNELS.values()}.values())


def deliver(message: Message) -> bool:
    implementation = _CHANNELS.get(message.ticket.channel)
    return implementation.deliver(message) if implementation is not None else False


def deliveries(messages: Iterable[Message]) -> dict[int, Delivery]:
    found: dict[int, Delivery] = {}
    listed = list(messages)
    for implementation in _implementations():
        found.update(implementation.deliveries(listed))
    return found


def originals(messages: Iterable[Message]) -> dict[int, str]:
    found: dict[int, str] = {}
    listed = list(messages)
    for implementation in _implementations():
        found.update(implementation.originals(listed))
    return found
