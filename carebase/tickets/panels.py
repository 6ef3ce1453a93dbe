"""What the apps built on tickets show beside a conversation (its SLA clocks,
the feature it asks for, the macros to answer it with), without tickets
importing them: each registers a source in its AppConfig.ready(), which
answers a Panel for the viewer, or None."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from carebase.core.navigation import Panel

if TYPE_CHECKING:
    from carebase.tickets.models import Ticket

Source = Callable[["Ticket", Any], Panel | None]
_SOURCES: list[Source] = []


def register(source: Source) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def panels_for(ticket: Ticket, user: Any) -> list[Panel]:
    found = [panel for source in _SOURCES if (panel := source(ticket, user)) is not None]
    return sorted(found, key=lambda panel: panel.order)
