"""Live call events from a PBX: their JSON shape, and the call they make.

A call is rebuilt from all of its events each time one arrives, in the
order they happened (not the order they came in): an event that arrives
late, or twice, gives the same call as if all had come in order once.

    {"event": "started", "call_id": "1733050000.42", "at": "2026-12-01T09:00:00+01:00",
     "from": "+48221234567", "to": "+48221000000", "caller_name": "Jan", "line": "support"}
    {"event": "ringing", "call_id": "...", "at": "...", "extension": "101"}
    {"event": "answered", "call_id": "...", "at": "...", "extension": "101"}
    {"event": "ended", "call_id": "...", "at": "...", "reason": "busy"}
    {"event": "recording", "call_id": "...", "at": "...", "recording_url": "https://..."}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from ninja import Schema
from pydantic import AwareDatetime, Field, field_validator


class EventKind(StrEnum):
    STARTED = "started"
    RINGING = "ringing"
    ANSWERED = "answered"
    ENDED = "ended"
    RECORDING = "recording"


class EndReason(StrEnum):
    HANGUP = "hangup"
    BUSY = "busy"
    FAILED = "failed"
    NO_ANSWER = "no_answer"
    MENU = "menu"  # the caller hung up in the menu, before any queue


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    INTERNAL = "internal"


class PbxEventIn(Schema):
    """One call event, as a PBX (or the small forwarder beside it) posts it."""

    event: EventKind
    call_id: str = Field(min_length=1, max_length=150, description="The PBX's id of the call.")
    at: AwareDatetime = Field(description="When it happened, with its offset.")
    id: str = Field("", max_length=150, description="The event's own id, if the PBX has one.")
    direction: Direction | None = Field(None, description="Guessed from the numbers when absent.")
    caller: str = Field("", alias="from", max_length=80)
    callee: str = Field("", alias="to", max_length=80)
    caller_name: str = Field("", max_length=200)
    line: str = Field("", max_length=80, description="The queue or line it came in on.")
    extension: str = Field("", max_length=80, description="The extension or SIP user.")
    reason: EndReason | None = None
    recording_url: str = Field("", max_length=500, pattern=r"^(https?://.*)?$")

    @field_validator("*", mode="before")
    @classmethod
    def without_nul(cls, value: object) -> object:
        # Valid JSON, but no text column of PostgreSQL can hold it.
        return value.replace("\x00", "") if isinstance(value, str) else value


# Events of one moment fold in the order a call lives them.
ORDER = {kind: rank for rank, kind in enumerate(EventKind)}


@dataclass
class CallState:
    """What the events say of the call so far."""

    started_at: datetime
    direction: str | None = None
    caller: str = ""
    callee: str = ""
    caller_name: str = ""
    line: str = ""
    answered_at: datetime | None = None
    answered_by: str = ""  # the extension
    ended_at: datetime | None = None
    reason: EndReason | None = None
    recording_url: str = ""
    # (extension, rang at) in order
    rings: list[tuple[str, datetime]] = field(default_factory=list)


def fold(events: list[PbxEventIn]) -> CallState:
    """The call these events (of one call id, any order, repeats allowed) make."""
    ordered = sorted(events, key=lambda event: (event.at, ORDER[event.event]))
    state = CallState(started_at=ordered[0].at)
    for event in ordered:
        # Any event may carry the numbers: the first that does names them.
        state.caller = state.caller or event.caller
        state.callee = state.callee or event.callee
        state.caller_name = state.caller_name or event.caller_name
        state.line = state.line or event.line
        state.direction = state.direction or (event.direction.value if event.direction else None)
        if event.event == EventKind.RINGING and event.extension:
            if (event.extension, event.at) not in state.rings:
                state.rings.append((event.extension, event.at))
        elif event.event == EventKind.ANSWERED and state.answered_at is None:
            state.answered_at = event.at
            state.answered_by = event.extension
        elif event.event == EventKind.ENDED:
            state.ended_at = event.at if state.ended_at is None else max(state.ended_at, event.at)
            state.reason = state.reason or event.reason
        elif event.event == EventKind.RECORDING and event.recording_url:
            state.recording_url = event.recording_url
    return state
