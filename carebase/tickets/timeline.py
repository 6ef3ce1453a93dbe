"""What other apps put on a conversation's timeline (the calls of the phone
channel...) without the tickets app importing them: each registers a source
in its AppConfig.ready(), which answers the entries the viewer may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from carebase.tickets.models import Ticket


@dataclass
class Entry:
    at: datetime
    template: str  # rendered with the entry's context and the page's own
    context: dict[str, Any] = field(default_factory=dict)


Source = Callable[[Ticket, Any], list[Entry]]
_SOURCES: list[Source] = []


def register(source: Source) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def entries(ticket: Ticket, user: Any) -> list[Entry]:
    found: list[Entry] = []
    for source in _SOURCES:
        found += source(ticket, user)
    return found
