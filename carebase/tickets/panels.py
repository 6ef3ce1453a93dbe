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


# What a conversation's API JSON says of its SLA clocks ("sla"), from the app
# that keeps them; the relations it reads are prefetched for lists.
SlaSource = Callable[["Ticket"], list[dict[str, Any]]]
_SLA_SOURCES: list[SlaSource] = []
SLA_PREFETCH: list[str] = []


def register_sla(source: SlaSource, *, prefetch: str) -> None:
    if source not in _SLA_SOURCES:
        _SLA_SOURCES.append(source)
        SLA_PREFETCH.append(prefetch)


def sla_of(ticket: Ticket) -> list[dict[str, Any]]:
    return [item for source in _SLA_SOURCES for item in source(ticket)]


# A note under an inbox row's priority (its nearest SLA deadline), from the
# app that keeps the clocks: the ids of one page in, {id: safe HTML} out,
# in a query or two a page whatever its length.
RowNotes = Callable[[list[int]], dict[int, str]]
_ROW_SOURCES: list[RowNotes] = []


def register_row_notes(source: RowNotes) -> None:
    if source not in _ROW_SOURCES:
        _ROW_SOURCES.append(source)


def row_notes(ids: list[int]) -> dict[int, str]:
    notes: dict[int, str] = {}
    for source in _ROW_SOURCES:
        for pk, html in source(ids).items():
            notes[pk] = notes.get(pk, "") + html
    return notes
