"""Calls over the REST API, and the endpoint PBXs post their call events to."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import field_validator

from carebase.accounts.http import AuthenticatedRequest
from carebase.accounts.models import token_digest
from carebase.api.limits import read_body
from carebase.api.pagination import ERRORS, Id, Moment, PageParams, paginate
from carebase.core.access import Perm, require_perm
from carebase.telephony.access import access_call, calls_for, can_hear, sees_every_agent
from carebase.telephony.actions import EventRejected, do_receive_pbx_event, do_store_recording
from carebase.telephony.events import PbxEventIn
from carebase.telephony.models import Call, Direction, Disposition, MissedReason, Pbx
from carebase.telephony.report import agent_report

router = Router(tags=["calls"])
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class PbxToken(HttpBearer):
    """A PBX's own token (`manage.py pbx_token <name>`): it posts events, nothing else."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Pbx:
        pbx = Pbx.objects.filter(token_digest=token_digest(token.strip())).first()
        if not token.strip() or pbx is None:
            raise HttpError(403, "This token belongs to no PBX.")
        return pbx


class CallOut(Schema):
    id: int
    pbx: str = Field(alias="pbx.name")
    unique_id: str = Field(description="The PBX's id of the call.")
    direction: Direction
    caller: str = Field(description="E.164, or an extension for an internal caller.")
    caller_name: str
    callee: str
    line: str
    extension: str | None = Field(None, alias="extension.number")
    agent: int | None = Field(None, alias="agent_id")
    contact: int | None = Field(None, alias="contact_id")
    ticket: int | None = Field(None, alias="ticket_id", description="Its conversation.")
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None = Field(description="None while the call goes on.")
    wait_seconds: int
    talk_seconds: int
    disposition: Disposition
    missed_reason: MissedReason | None = None
    recording: str | None = Field(
        None, description="Where to play the recording: set only for who may hear it."
    )

    @staticmethod
    def resolve_missed_reason(call: Call) -> str | None:
        return call.missed_reason or None

    @staticmethod
    def resolve_recording(call: Call, context: dict[str, Any]) -> str | None:
        request = context["request"]
        if not call.has_recording or not can_hear(request.user, call):
            return None
        return request.build_absolute_uri(reverse("telephony:recording", args=[call.pk]))


def _moment(value: Any) -> Any:
    """ISO 8601 only (pydantic would read a bare number as a Unix time); a
    time without an offset is in TIME_ZONE."""
    if isinstance(value, str) and NUMBER.fullmatch(value.strip()):
        raise ValueError("Use an ISO 8601 date and time, e.g. 2026-11-22T08:00:00Z.")
    return value


def _aware(value: datetime | None) -> datetime | None:
    """In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    try:
        return value.astimezone(UTC)
    except OverflowError as error:
        raise ValueError("The moment is out of range.") from error


class CallFilters(Schema):
    agent: str | None = Field(None, description="A user id, or `me`.", pattern=r"^(me|\d{1,18})$")
    disposition: Disposition | None = None
    direction: Direction | None = None
    line: str | None = Field(None, max_length=80)
    since: Moment | None = Field(None, description="Started at or after this time.")
    until: Moment | None = Field(None, description="Started before this time.")
    contact: Id | None = None
    ticket: Id | None = None

    _iso = field_validator("since", "until", mode="before")(_moment)
    _zone = field_validator("since", "until")(_aware)


class ReportPeriod(Schema):
    since: Moment | None = Field(None, description="From (default: 30 days before until).")
    until: Moment | None = Field(None, description="Up to, not including (default: now).")

    _iso = field_validator("since", "until", mode="before")(_moment)
    _zone = field_validator("since", "until")(_aware)


class CallPage(Schema):
    items: list[CallOut]
    next: str | None


@router.get("/calls", response={200: CallPage, **ERRORS}, summary="List calls")
def list_calls(
    request: AuthenticatedRequest, filters: Query[CallFilters], page: Query[PageParams]
) -> dict:
    require_perm(request.user, Perm.VIEW_CALLS)
    queryset = calls_for(request.user).select_related("pbx", "extension")
    if filters.agent == "me":
        queryset = queryset.filter(agent=request.user)
    elif filters.agent:
        queryset = queryset.filter(agent_id=int(filters.agent))
    for name in ("disposition", "direction", "line"):
        value = getattr(filters, name)
        if value is not None:
            queryset = queryset.filter(**{name: value})
    for name in ("contact", "ticket"):
        value = getattr(filters, name)
        if value is not None:
            queryset = queryset.filter(**{f"{name}_id": value})
    if filters.since is not None:
        queryset = queryset.filter(started_at__gte=filters.since)
    if filters.until is not None:
        queryset = queryset.filter(started_at__lt=filters.until)
    return paginate(queryset, page.cursor, page.limit)


@router.get("/calls/report", response={200: list[Any], **ERRORS}, summary="Agent call report")
def call_report(request: AuthenticatedRequest, period: Query[ReportPeriod]) -> list[dict[str, Any]]:
    """Per agent: calls answered, rings missed, the missed share, time to
    answer (average and 90th percentile, seconds) and talk time, over
    [since, until) (default: the last 30 days). Those who review calls see
    every agent; others their own line."""
    require_perm(request.user, Perm.VIEW_CALLS)
    until = period.until or timezone.now()
    since = period.since or until - timedelta(days=30)
    if since >= until:
        raise HttpError(422, "since must come before until.")
    agents = (
        None
        if sees_every_agent(request.user)
        else type(request.user).objects.filter(pk=request.user.pk)
    )
    return [
        {
            "agent": line.agent.pk,
            "name": str(line.agent),
            "answered": line.answered,
            "missed": line.missed,
            "missed_share": line.missed_share,
            "average_answer_seconds": line.average_answer_seconds,
            "p90_answer_seconds": line.p90_answer_seconds,
            "talk_seconds": line.talk_seconds,
        }
        for line in agent_report(since, until, agents)
    ]


@router.get("/calls/{call_id}", response={200: CallOut, **ERRORS}, summary="Get a call")
def get_call(request: AuthenticatedRequest, call_id: Id) -> Call:
    return access_call(request.user, call_id)


class EventAccepted(Schema):
    event: int = Field(description="The stored event's id.")
    call: int
    disposition: Disposition
    ticket: int | None


@router.post(
    "/telephony/events",
    auth=PbxToken(),
    response={202: EventAccepted, 400: Any, 401: Any, 403: Any, 413: Any, 422: Any},
    summary="Post a PBX call event",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": PbxEventIn.model_json_schema(by_alias=True)}
            },
        }
    },
)
def post_event(request: HttpRequest) -> Status:
    """One call event (started, ringing, answered, ended, recording). The body
    is stored as it came before it is read; events of a call may come in
    any order, or twice. See docs/phone.md for the Asterisk forwarder."""
    pbx: Pbx = request.auth  # type: ignore[attr-defined]
    raw = read_body(request, settings.PBX_EVENT_MAX_BYTES, "An event")
    try:
        stored, call = do_receive_pbx_event(pbx, raw)
    except EventRejected as rejected:
        unreadable = any(problem["type"] == "json_invalid" for problem in rejected.detail)
        return Status(
            400 if unreadable else 422, {"detail": rejected.detail, "event": rejected.event.pk}
        )
    return Status(
        202,
        {
            "event": stored.pk,
            "call": call.pk,
            "disposition": call.disposition,
            "ticket": call.ticket_id,
        },
    )


AUDIO_TYPES = {".wav", ".mp3", ".ogg", ".opus", ".m4a", ".gsm", ".webm", ".flac"}


class RecordingAccepted(Schema):
    call: int
    recording: str = Field(description="The stored file's name.")


@router.post(
    "/telephony/recordings",
    auth=PbxToken(),
    response={201: RecordingAccepted, 401: Any, 403: Any, 404: Any, 413: Any, 422: Any},
    summary="Upload a call's recording",
)
def upload_recording(request: HttpRequest, call_id: Form[str], file: File[UploadedFile]) -> Status:
    """A recording file for one of the PBX's calls (by the PBX's call id), for
    PBXs that do not serve recordings themselves. At most ATTACHMENT_MAX_BYTES."""
    pbx: Pbx = request.auth  # type: ignore[attr-defined]
    call = Call.objects.filter(pbx=pbx, unique_id=call_id).first()
    if call is None:
        raise HttpError(404, "The PBX has no call with this id.")
    if file.size is not None and file.size > settings.ATTACHMENT_MAX_BYTES:
        raise HttpError(413, f"A recording is at most {settings.ATTACHMENT_MAX_BYTES} bytes.")
    suffix = Path(file.name or "").suffix.lower()
    if suffix not in AUDIO_TYPES:
        raise HttpError(422, "A recording is an audio file: " + ", ".join(sorted(AUDIO_TYPES)))
    do_store_recording(call, file)
    return Status(201, {"call": call.pk, "recording": call.recording.name})
