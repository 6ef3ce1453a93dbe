"""Writes of the phone channel: calls imported from CDR files.

An import is idempotent: a call is keyed by the PBX's id for it (linkedid,
else uniqueid), and its legs merge by earliest start, latest end and first
answer, which give the same call however often, and in whatever chunks, its
legs are read. It runs in chunks of CHUNK rows, each in its own transaction:
a million-row file is never one transaction, and an import stopped half-way
is finished by running it again.
"""

from __future__ import annotations

import gc
import io
import logging
import multiprocessing
import re
import threading
from collections.abc import Callable, Container, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from carebase.accounts.models import new_raw_token, token_digest
from carebase.core import deferred
from carebase.core.access import Perm, has_perm
from carebase.core.errors import Conflict
from carebase.core.hours import conversation_schedule, is_open
from carebase.core.search import Among
from carebase.crm.actions import find_or_create_contact_by_phone
from carebase.crm.identities import IdentityError, format_phone, normalize_phone
from carebase.crm.models import Contact, ContactIdentity, IdentityKind
from carebase.telephony.cdr import (
    CdrProblem,
    CdrRow,
    MappingError,
    read_asterisk_csv,
    read_mapped_csv,
)
from carebase.telephony.events import CallState, EndReason, PbxEventIn, fold
from carebase.telephony.models import (
    Call,
    Callback,
    CallImport,
    CallSource,
    Direction,
    Disposition,
    Extension,
    ImportFormat,
    ImportStatus,
    MissedReason,
    Pbx,
    PbxEvent,
    Ring,
)
from carebase.tickets.actions import do_add_reply, do_change_status, do_create_ticket
from carebase.tickets.models import ACTIVE_STATUSES, Channel, Priority, Status, Ticket
from carebase.tickets.notify import announce

CHUNK = 5000
logger = logging.getLogger(__name__)
# Applications that play a menu: a caller who hangs up there never reached a queue.
MENU_APPS = {"background", "read", "waitexten", "ivr", "playback"}
# A channel such as "PJSIP/101-0000000a": its peer is "101" (an extension:
# 2 to 6 digits, then the end or one of - / @).
CHANNEL_PEER = re.compile(r"^[^/]+/(?P<peer>\d{2,6})(?:[-/@]|$)")
EXTENSION = re.compile(r"^\d{2,6}$")
CALL_FIELDS = [
    "direction",
    "caller",
    "caller_name",
    "callee",
    "line",
    "extension",
    "agent",
    "contact",
    "started_at",
    "answered_at",
    "ended_at",
    "wait_seconds",
    "talk_seconds",
    "disposition",
    "missed_reason",
    "updated_at",
]


# A new call's columns as _import_chunk writes them: its keys and empty
# links, then what _Draft.values answers, in that order.
NEW_CALL_COLUMNS = [
    "pbx_id", "unique_id", "source", "created_at", "updated_at", "ticket_id", "recording_url",
    "recording", "direction", "caller", "caller_name", "callee", "line", "extension_id",
    "agent_id", "contact_id", "started_at", "answered_at", "ended_at", "wait_seconds",
    "talk_seconds", "disposition", "missed_reason",
]  # fmt: skip
RING_COLUMNS = ["call_id", "extension_id", "agent_id", "rang_at", "answered", "ring_seconds"]


@dataclass
class ImportSummary:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    skipped: list[CdrProblem] = field(default_factory=list)
    # Extensions seen for the first time: calls on them wait for an agent.
    new_extensions: list[str] = field(default_factory=list)
    filed: int = 0  # calls that opened or joined a conversation


def do_import_cdr(
    pbx: Pbx,
    items: Iterable[CdrRow | CdrProblem],
    *,
    progress: Callable[[ImportSummary], None] | None = None,
    file_since: datetime | None = None,
) -> ImportSummary:
    """Import the rows; the calls since `file_since` that are in no
    conversation yet are then filed into the queue (the older ones are
    history: nobody rings back a call of last month)."""
    summary = ImportSummary()
    stream = iter(items)
    with _without_cycle_collection():
        _import_chunks(pbx, stream, summary, progress)
    if file_since is not None:
        summary.filed = file_recent_calls(pbx, file_since)
    return summary


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector kept off while an import runs: the rows it
    makes hold no cycles, and its passes over them, every few hundred new
    objects, took a tenth of an import's time. Collected once at the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()


def _import_chunks(
    pbx: Pbx,
    stream: Iterator[CdrRow | CdrProblem],
    summary: ImportSummary,
    progress: Callable[[ImportSummary], None] | None,
) -> None:
    while chunk := list(islice(stream, CHUNK)):
        rows = [item for item in chunk if isinstance(item, CdrRow)]
        summary.skipped += [item for item in chunk if isinstance(item, CdrProblem)]
        summary.rows += len(chunk)
        with transaction.atomic():
            _import_chunk(pbx, rows, summary)
        if progress is not None:
            progress(summary)


def draft_chunk(
    rows: list[CdrRow], short_abandon_seconds: int
) -> tuple[dict[str, _Draft], set[str]]:
    """The calls a chunk's rows make (their legs grouped), and the extension
    numbers the rows name: all of it without the database, so that it can
    run in another process (see import_file)."""
    legs: dict[str, list[CdrRow]] = {}
    for row in rows:
        legs.setdefault(_call_key(row), []).append(row)
    # A CDR names extensions by number: any short number is one (_is_extension).
    known: frozenset[str] = frozenset()
    drafts = {key: _draft(short_abandon_seconds, key, group, known) for key, group in legs.items()}
    return drafts, _extension_numbers(rows)


def _import_chunk(pbx: Pbx, rows: list[CdrRow], summary: ImportSummary) -> None:
    if not rows:
        return  # a chunk of bad lines only
    drafts, numbers = draft_chunk(rows, pbx.short_abandon_seconds)
    _store_chunk(pbx, drafts, numbers, summary)


def _store_chunk(
    pbx: Pbx, drafts: dict[str, _Draft], numbers: set[str], summary: ImportSummary
) -> None:
    extensions = _known_extensions(pbx, numbers, summary)
    contacts = _contacts([draft.customer_number for draft in drafts.values()])
    stored = Call.objects.filter(Among("unique_id", drafts), pbx=pbx).values_list(*_Stored.COLUMNS)
    existing = {row[1]: _Stored(*row) for row in stored}
    now = timezone.now()
    new_keys: list[str] = []
    new_rows: list[tuple[Any, ...]] = []
    changed = []
    for key, draft in drafts.items():
        call = existing.get(key)
        if call is not None:
            draft.merge(call)
        values = draft.values(extensions, contacts)
        if call is None:
            new_keys.append(key)
            new_rows.append((pbx.pk, key, CallSource.CDR, now, now, None, "", "", *values.values()))
            continue
        if all(getattr(call, name) == value for name, value in values.items()):
            summary.unchanged += 1
            continue
        changed.append(Call(pk=call.pk, updated_at=now, **values))
    ids = dict(zip(new_keys, deferred.insert_rows(Call, NEW_CALL_COLUMNS, new_rows), strict=True))
    deferred.update_each(changed, CALL_FIELDS)
    summary.imported += len(new_rows)
    summary.updated += len(changed)
    ids.update((key, call.pk) for key, call in existing.items())
    _store_rings(drafts, ids, existing, extensions)


@dataclass(slots=True)
class _Stored:
    """What an import compares of a stored call: read as plain values, since
    building a million model instances would cost more than the rest."""

    pk: int
    unique_id: str
    direction: str
    caller: str
    caller_name: str
    callee: str
    line: str
    extension_id: int | None
    extension_number: str | None
    agent_id: int | None
    contact_id: int | None
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    wait_seconds: int
    talk_seconds: int
    disposition: str
    missed_reason: str

    COLUMNS = (
        "pk", "unique_id", "direction", "caller", "caller_name", "callee", "line",
        "extension_id", "extension__number", "agent_id", "contact_id", "started_at",
        "answered_at", "ended_at", "wait_seconds", "talk_seconds", "disposition",
        "missed_reason",
    )  # fmt: skip


def _store_rings(
    drafts: dict[str, _Draft],
    ids: dict[str, int],
    existing: dict[str, _Stored],
    extensions: dict[str, Extension],
) -> None:
    """The rings of the chunk's legs that are not stored yet; a stored one
    whose extension was mapped since gets its agent."""
    ringing = [key for key, draft in drafts.items() if draft.rings]
    if not ringing:
        return
    known: dict[tuple[int, int, datetime], tuple[int, int | None]] = {}
    if existing:
        stored = Ring.objects.filter(Among("call_id", [call.pk for call in existing.values()]))
        for pk, call_id, extension_id, rang_at, agent_id in stored.values_list(
            "pk", "call_id", "extension_id", "rang_at", "agent_id"
        ):
            known[(call_id, extension_id, rang_at)] = (pk, agent_id)
    rings = []
    remapped: dict[int | None, list[int]] = {}
    for key in ringing:
        call_id = ids[key]
        for number, rang_at, answered, seconds in drafts[key].rings:
            extension = extensions[number]
            found = known.get((call_id, extension.pk, rang_at))
            if found is not None:
                if found[1] != extension.user_id:
                    remapped.setdefault(extension.user_id, []).append(found[0])
                continue
            known[(call_id, extension.pk, rang_at)] = (0, extension.user_id)
            rings.append((call_id, extension.pk, extension.user_id, rang_at, answered, seconds))
    deferred.insert_rows(Ring, RING_COLUMNS, rings)
    for user_id, pks in remapped.items():
        Ring.objects.filter(pk__in=pks).update(agent_id=user_id)


def _call_key(row: CdrRow) -> str:
    # A file without uniqueid (cdr_csv's 16 columns): the channel's name and
    # start time single a call out; its legs cannot be grouped.
    return row.call_id or f"{row.start:%Y%m%d%H%M%S}/{row.channel}"[:150]


@dataclass
class _Draft:
    direction: str
    caller: str
    caller_name: str
    callee: str
    line: str
    started: datetime
    ended: datetime
    answered: datetime | None
    extension: str  # who answered (inbound) or called (outbound); "" when nobody
    disposition: str
    reason: str
    short_abandon_seconds: int
    # (extension, rang at, answered, ring seconds) of each leg that rang one.
    rings: list[tuple[str, datetime, bool, int]] = field(default_factory=list)

    @property
    def customer_number(self) -> str:
        return self.callee if self.direction == Direction.OUTBOUND else self.caller

    def merge(self, call: _Stored) -> None:
        """Take in what an earlier import knew of the call (its other legs).
        The earliest leg says who called whom, on which line: whatever the
        order the legs are read in, the call comes out the same."""
        if call.started_at < self.started:
            self.started = call.started_at
            self.direction = call.direction
            self.caller, self.caller_name, self.callee = call.caller, call.caller_name, call.callee
            self.line = call.line
            if self.answered is None and call.answered_at is None:
                self.disposition = call.disposition
        if call.ended_at is not None:  # None: a call the events left going
            self.ended = max(self.ended, call.ended_at)
        if call.answered_at is not None and (
            self.answered is None or call.answered_at < self.answered
        ):
            self.answered = call.answered_at
            self.disposition = Disposition.ANSWERED
            self.extension = call.extension_number or self.extension
        # What the other legs showed (an agent rang, a menu); the reasons
        # that follow from the times (short abandon, out of hours) are recomputed.
        carried = (MissedReason.NOT_ANSWERED, MissedReason.ABANDONED_IN_MENU)
        if self.answered is None and call.missed_reason in carried and not self.reason:
            self.reason = call.missed_reason

    def values(self, extensions: dict[str, Extension], contacts: dict[str, int]) -> dict:
        answered = self.answered
        wait = (answered or self.ended) - self.started
        talk = (self.ended - answered) if answered else None
        reason = ""
        if answered is None and self.direction == Direction.INBOUND:
            reason = self.reason or MissedReason.NO_AGENT
            if self.disposition == Disposition.MISSED and wait.total_seconds() < (
                self.short_abandon_seconds
            ):
                reason = MissedReason.SHORT_ABANDON
            elif not is_open(self.started):
                reason = MissedReason.OUT_OF_HOURS
        extension = extensions.get(self.extension)
        return {
            "direction": self.direction,
            "caller": self.caller,
            "caller_name": self.caller_name,
            "callee": self.callee,
            "line": self.line,
            "extension_id": extension.pk if extension else None,
            "agent_id": extension.user_id if extension else None,
            "contact_id": contacts.get(self.customer_number),
            "started_at": self.started,
            "answered_at": answered,
            "ended_at": self.ended,
            "wait_seconds": max(int(wait.total_seconds()), 0),
            "talk_seconds": max(int(talk.total_seconds()), 0) if talk else 0,
            "disposition": self.disposition,
            "missed_reason": reason,
        }


def _draft(
    short_abandon_seconds: int, key: str, legs: list[CdrRow], known: Container[str]
) -> _Draft:
    legs.sort(key=lambda leg: (leg.start, leg.sequence or 0))
    first = legs[0]
    answered = [leg for leg in legs if leg.disposition == "ANSWERED" and leg.answer]
    from_extension = _is_extension(first.src, known)
    to_extension = _is_extension(first.dst, known)
    if from_extension and to_extension:
        direction = Direction.INTERNAL
    elif from_extension:
        direction = Direction.OUTBOUND
    else:
        direction = Direction.INBOUND
    if answered:
        disposition = Disposition.ANSWERED
    else:
        disposition = {
            "NO ANSWER": Disposition.MISSED,
            "BUSY": Disposition.BUSY,
        }.get(first.disposition, Disposition.FAILED)
    peers = [_peer(leg.dstchannel) for leg in legs]  # who each leg rang
    extension = ""
    if direction == Direction.OUTBOUND:
        extension = first.src
    elif answered:
        extension = _peer(answered[0].dstchannel) or ""
    reason = ""
    if not answered:
        if any(peers):
            reason = MissedReason.NOT_ANSWERED
        elif any(leg.lastapp.lower() in MENU_APPS for leg in legs):
            reason = MissedReason.ABANDONED_IN_MENU
    queues = [leg.lastdata.split(",")[0] for leg in legs if leg.lastapp.lower() == "queue"]
    rings = []
    if direction != Direction.OUTBOUND:
        for leg, peer in zip(legs, peers, strict=True):
            if peer:
                took = leg.disposition == "ANSWERED" and leg.answer is not None
                rang = (
                    (leg.answer if took and leg.answer else leg.end) - leg.start
                ).total_seconds()
                rings.append((peer, leg.start, took, max(int(rang), 0)))
    return _Draft(
        direction=direction,
        caller=_number(first.caller_number or first.src, known),
        caller_name=first.caller_name[:200],
        callee=_number(first.dst, known),
        line=(queues[0] if queues else first.dcontext)[:80],
        started=first.start,
        ended=max(leg.end for leg in legs),
        answered=min(leg.answer for leg in answered if leg.answer) if answered else None,
        extension=extension,
        disposition=disposition,
        reason=reason,
        short_abandon_seconds=short_abandon_seconds,
        rings=rings,
    )


def _peer(channel: str) -> str | None:
    match = CHANNEL_PEER.match(channel)
    return match.group("peer") if match is not None else None


def _is_extension(number: str, known: Container[str]) -> bool:
    """An extension of the PBX: a known one (a SIP user may be a name), or
    any short number."""
    return number in known or bool(EXTENSION.match(number))


def _number(raw: str, known: Container[str]) -> str:
    """E.164 for a telephone number; an extension (or "s") as it is."""
    raw = raw.strip()
    if _is_extension(raw, known) or not raw:
        return raw[:80]
    return _e164(raw)


@lru_cache(maxsize=100_000)
def _e164(raw: str) -> str:
    # Remembered: reading a number costs more than the rest of a record, and
    # a support line hears the same clients again and again.
    try:
        return normalize_phone(raw if raw.startswith(("+", "00")) else f"+{raw}")
    except IdentityError:
        try:
            return normalize_phone(raw)
        except IdentityError:
            return raw[:80]


def _extension_numbers(rows: list[CdrRow]) -> set[str]:
    """The extensions these rows name (who called, who answered)."""
    numbers = set()
    for row in rows:
        for peer in (_peer(row.channel), _peer(row.dstchannel)):
            if peer:
                numbers.add(peer)
        if EXTENSION.match(row.src):
            numbers.add(row.src)
    return numbers


def _known_extensions(pbx: Pbx, numbers: set[str], summary: ImportSummary) -> dict[str, Extension]:
    """These extensions of the PBX, the new ones created unmapped."""
    known = {
        extension.number: extension
        for extension in Extension.objects.filter(pbx=pbx, number__in=numbers).select_related(
            "user"
        )
    }
    missing = sorted(numbers - set(known))
    if missing:
        Extension.objects.bulk_create(
            [Extension(pbx=pbx, number=number) for number in missing], ignore_conflicts=True
        )
        known.update(
            (extension.number, extension)
            for extension in Extension.objects.filter(pbx=pbx, number__in=missing)
        )
        summary.new_extensions += missing
    return known


def _contacts(numbers: list[str]) -> dict[str, int]:
    """The contact holding each number as a phone identity."""
    wanted = {number for number in numbers if number.startswith("+")}
    if not wanted:
        return {}
    rows = ContactIdentity.objects.filter(Among("value", wanted), kind=IdentityKind.PHONE)
    return dict(rows.values_list("value", "contact_id"))


# --- Calls into the queue -------------------------------------------------

# A caller who rings again within this time joins the callback already open.
CALLBACK_WINDOW = timedelta(hours=1)


def describe_call(call: Call) -> str:
    """One paragraph on the call, for the conversation it opens."""
    number = format_phone(call.customer_number) if call.customer_number.startswith("+") else ""
    values = {
        "number": number or call.customer_number or _("a withheld number"),
        "line": call.line or "—",
        "at": timezone.localtime(call.started_at).strftime("%Y-%m-%d %H:%M"),
        "agent": str(call.agent) if call.agent else _("nobody"),
        "wait": call.wait_seconds,
        "reason": call.get_missed_reason_display() if call.missed_reason else "—",
    }
    if call.direction == Direction.OUTBOUND:
        return _("Call to %(number)s at %(at)s by %(agent)s.") % values
    if call.disposition == Disposition.ANSWERED or call.answered_at is not None:
        return (
            _(
                "Call from %(number)s on the line %(line)s at %(at)s,"
                " answered by %(agent)s after %(wait)s s."
            )
            % values
        )
    return _("Missed call from %(number)s on the line %(line)s at %(at)s (%(reason)s).") % values


def do_file_call(call: Call) -> Ticket | None:
    """Put a call into the queue: an answered inbound call opens or joins
    the caller's phone conversation; a missed one in business hours opens
    (or joins, within the hour) an urgent callback conversation; a call back
    to that number links to it, and when answered, marks it done. Internal
    calls, short abandons, calls out of hours and numbers that are withheld
    (or cannot be read) open nothing. Filed again as the call changes (an
    `answered` event that came after `ended`). Answers the conversation the
    call is now part of."""
    with transaction.atomic():
        call = (
            Call.objects.select_for_update(of=("self",))
            .select_related("agent", "contact", "ticket")
            .get(pk=call.pk)
        )
        number = call.customer_number
        if call.direction == Direction.INTERNAL or not number.startswith("+"):
            return call.ticket
        try:
            requester = _requester(call)
        except (ValidationError, Conflict):
            return call.ticket  # a number no contact can hold: as if withheld
        # One caller's calls are filed one at a time (two workers, or events
        # and an import at once): the second sees the first one's callback.
        Contact.objects.select_for_update().filter(pk=requester.pk).first()
        if call.direction == Direction.OUTBOUND:
            return _file_outbound(call)
        if call.answered_at is not None:
            return _file_answered(call, requester)
        if call.ticket_id is not None:
            return call.ticket  # a missed call already in its callback
        if call.ended_at is None or call.missed_reason in ("", *QUIET_REASONS):
            return None  # still ringing, or nobody to ring back
        return _file_missed(call, requester)


# Missed calls that ask for no callback.
QUIET_REASONS = (MissedReason.SHORT_ABANDON, MissedReason.OUT_OF_HOURS)


def _requester(call: Call) -> Contact:
    if call.contact is not None:
        return call.contact
    contact = find_or_create_contact_by_phone(call.customer_number, name=call.caller_name)
    call.contact = contact
    return contact


def _link(call: Call, ticket: Ticket) -> Ticket:
    if call.ticket_id != ticket.pk or call.contact_id is None:
        call.ticket = ticket
        call.updated_at = timezone.now()
        call.save(update_fields=["ticket", "contact", "updated_at"])
        announce(ticket)
    return ticket


def _open_callbacks(number: str, before: datetime) -> QuerySet[Callback]:
    """The number's callbacks not done yet, opened by then, whose
    conversation is still being worked (one solved or closed by hand is done)."""
    return Callback.objects.select_for_update(of=("self",)).filter(
        number=number,
        done_at__isnull=True,
        created_at__lte=before,
        ticket__status__in=ACTIVE_STATUSES,
    )


def _complete_callbacks(number: str, call: Call) -> Callback | None:
    """Mark every open callback of the number done by this answered call;
    answers the latest (whose conversation the call joins)."""
    assert call.answered_at is not None
    callbacks = list(_open_callbacks(number, call.answered_at).select_related("ticket"))
    for callback in callbacks:
        callback.done_at = call.answered_at
        callback.done_by = call
        callback.save(update_fields=["done_at", "done_by"])
    return max(callbacks, key=lambda callback: callback.created_at, default=None)


def _file_outbound(call: Call) -> Ticket | None:
    if call.answered_at is not None:
        done = _complete_callbacks(call.callee, call)
        if done is not None:
            return _link(call, done.ticket)
    else:
        # Ringing back, not answered (yet): the attempt is on the callback.
        trying = _open_callbacks(call.callee, call.started_at).select_related("ticket")
        latest = trying.order_by("-created_at").first()
        if latest is not None:
            return _link(call, latest.ticket)
    if call.ticket_id is not None:
        return call.ticket
    assert call.contact is not None
    ongoing = _ongoing_phone_conversation(call.contact)
    return _link(call, ongoing) if ongoing is not None else None


def _ongoing_phone_conversation(contact: Contact) -> Ticket | None:
    return (
        Ticket.objects.filter(
            requester=contact,
            channel=Channel.PHONE,
            status__in=ACTIVE_STATUSES,
            merged_into__isnull=True,
        )
        .order_by("-updated_at")
        .first()
    )


def _file_answered(call: Call, requester: Contact) -> Ticket:
    done = _complete_callbacks(call.caller, call)
    if done is not None:
        # The client got through on their own: nobody needs to ring back.
        return _link(call, _reopen(done.ticket))
    if call.ticket_id is not None and call.ticket is not None:
        return call.ticket
    ongoing = _ongoing_phone_conversation(requester)
    if ongoing is not None:
        return _link(call, _reopen(ongoing))
    agent = (
        call.agent if call.agent is not None and has_perm(call.agent, Perm.WORK_TICKETS) else None
    )
    name = requester.name or format_phone(call.caller)
    with translation.override(requester.language):  # written in the client's language
        subject, body = _("Call from %(name)s") % {"name": name}, describe_call(call)
    ticket = do_create_ticket(
        subject=subject,
        body=body,
        requester=requester,
        channel=Channel.PHONE,
        assignee=agent,
        actor=agent,
        created_at=call.answered_at,
    )
    return _link(call, ticket)


def _reopen(ticket: Ticket) -> Ticket:
    if ticket.status in (Status.PENDING, Status.ON_HOLD):
        do_change_status(ticket, Status.OPEN, actor=None)
    return ticket


def _file_missed(call: Call, requester: Contact) -> Ticket:
    callback = (
        _open_callbacks(call.caller, call.started_at + CALLBACK_WINDOW)
        .filter(created_at__gt=call.started_at - CALLBACK_WINDOW)
        .select_related("ticket")
        .order_by("-created_at")
        .first()
    )
    if callback is not None:
        callback.missed_calls += 1
        callback.save(update_fields=["missed_calls"])
        return _link(call, _reopen(callback.ticket))
    # On the hours the callback's own SLA clocks count: its client's tier
    # may be served by a calendar of its own (core.hours.conversation_calendar).
    organization = requester.organization if requester.organization_id else None
    schedule = conversation_schedule(
        team=None, tier=organization.tier if organization is not None else None
    )
    due = schedule.add(call.started_at, timedelta(minutes=settings.CALLBACK_DUE_MINUTES))
    with translation.override(requester.language):
        body = "\n\n".join(
            [
                describe_call(call),
                _("Call back by %(due)s.")
                % {"due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M")},
            ]
        )
        subject = _("Call back %(name)s") % {"name": requester.name or format_phone(call.caller)}
    ticket = do_create_ticket(
        subject=subject,
        body=body,
        requester=requester,
        channel=Channel.PHONE,
        priority=Priority.URGENT,
        tags=["callback"],
        created_at=call.ended_at,
    )
    Callback.objects.create(
        ticket=ticket, number=call.caller, due_at=due, created_at=call.started_at
    )
    return _link(call, ticket)


def file_recent_calls(pbx: Pbx, since: datetime) -> int:
    """File the PBX's calls since that moment that are in no conversation
    yet (what a CDR import brings of today); answers how many it filed."""
    filed = 0
    pending = Call.objects.filter(
        pbx=pbx, started_at__gte=since, ticket__isnull=True, ended_at__isnull=False
    ).exclude(direction=Direction.INTERNAL)
    for call in pending.order_by("started_at", "pk").iterator():
        if do_file_call(call) is not None:
            filed += 1
    return filed


def do_map_extension(extension: Extension, user: Any) -> int:
    """Give an extension to its agent, with the calls and rings it already
    has: answers how many calls changed hands."""
    with transaction.atomic():
        extension.user = user
        extension.save(update_fields=["user"])
        changed = Call.objects.filter(extension=extension).exclude(
            agent_id=getattr(user, "pk", None)
        )
        count = changed.update(agent=user, updated_at=timezone.now())
        Ring.objects.filter(extension=extension).update(agent=user)
    return count


# --- Live events ----------------------------------------------------------


class EventRejected(Exception):
    """An event body that is no event: stored, marked with why, not applied."""

    def __init__(self, event: PbxEvent, detail: list[dict[str, Any]]) -> None:
        super().__init__(str(detail))
        self.event = event
        self.detail = detail


def do_receive_pbx_event(pbx: Pbx, raw: bytes) -> tuple[PbxEvent, Call]:
    """Store the body as it came, then apply it to its call. A body that is
    no event stays stored with the reason (EventRejected); one that is
    applied is marked processed."""
    # As it came, but for NUL, which no PostgreSQL text can hold.
    text = raw.decode("utf-8", errors="replace").replace("\x00", "\ufffd")
    stored = PbxEvent.objects.create(pbx=pbx, body=text)  # committed before anything reads it
    try:
        event = PbxEventIn.model_validate_json(raw)
    except PydanticValidationError as error:
        problems = [
            {
                "loc": ["body", *map(str, problem["loc"])],
                "msg": problem["msg"],
                "type": problem["type"],
            }
            for problem in error.errors(include_url=False, include_context=False)
        ]
        stored.error = "; ".join(f"{'.'.join(p['loc'][1:])}: {p['msg']}" for p in problems)[:2000]
        stored.save(update_fields=["error"])
        raise EventRejected(stored, problems) from None
    stored.call_id = event.call_id
    stored.kind = event.event.value
    stored.occurred_at = event.at
    stored.save(update_fields=["call_id", "kind", "occurred_at"])
    try:
        call = apply_pbx_events(pbx, event.call_id)
    except Exception as error:
        # A fault of ours: the event stays stored, is applied again by
        # apply_stranded_events, and the PBX is told to try again (5xx).
        logger.exception("PBX event %s of call %s was not applied", stored.pk, event.call_id)
        PbxEvent.objects.filter(pk=stored.pk).update(
            error=str(error)[:2000] or type(error).__name__
        )
        raise
    PbxEvent.objects.filter(pbx=pbx, call_id=event.call_id, processed_at__isnull=True).exclude(
        kind=""
    ).update(processed_at=timezone.now(), error="")
    return stored, call


def do_apply_stranded_events() -> int:
    """Events stored but never applied (the process died, or applying
    failed), a minute or more old: their calls rebuilt again."""
    stranded = (
        PbxEvent.objects.filter(
            processed_at__isnull=True, received_at__lt=timezone.now() - timedelta(minutes=1)
        )
        .exclude(kind="")
        .values_list("pbx_id", "call_id")
        .order_by()
        .distinct()[:200]
    )
    applied = 0
    for pbx_id, call_id in list(stranded):
        pbx = Pbx.objects.get(pk=pbx_id)
        try:
            apply_pbx_events(pbx, call_id)
        except Exception as error:
            logger.exception("PBX events of call %s were not applied", call_id)
            PbxEvent.objects.filter(pbx=pbx, call_id=call_id, processed_at__isnull=True).update(
                error=str(error)[:2000] or type(error).__name__
            )
            continue
        PbxEvent.objects.filter(pbx=pbx, call_id=call_id, processed_at__isnull=True).exclude(
            kind=""
        ).update(processed_at=timezone.now(), error="")
        applied += 1
    return applied


def apply_pbx_events(pbx: Pbx, call_id: str) -> Call:
    """Rebuild the call from all its stored events, then file it (an
    answered call joins the queue at once, while it is still going)."""
    with transaction.atomic():
        call = _locked_call(pbx, call_id)
        bodies = PbxEvent.objects.filter(pbx=pbx, call_id=call_id).exclude(kind="")
        events = [
            PbxEventIn.model_validate_json(body) for body in bodies.values_list("body", flat=True)
        ]
        state = fold(events)
        extensions = _event_extensions(pbx, state)
        _apply_state(pbx, call, state, extensions)
        call.save()
        _replace_rings(call, state, extensions)
    do_file_call(call)
    call.refresh_from_db()
    return call


def _locked_call(pbx: Pbx, call_id: str) -> Call:
    call = Call.objects.select_for_update().filter(pbx=pbx, unique_id=call_id).first()
    if call is not None:
        return call
    now = timezone.now()
    try:
        with transaction.atomic():
            return Call.objects.create(
                pbx=pbx,
                unique_id=call_id,
                source=CallSource.EVENTS,
                direction=Direction.INBOUND,
                disposition=Disposition.IN_PROGRESS,
                started_at=now,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:  # the call's other event, a moment sooner
        return Call.objects.select_for_update().get(pbx=pbx, unique_id=call_id)


def _event_extensions(pbx: Pbx, state: CallState) -> dict[str, Extension]:
    numbers = {number for number, _at in state.rings}
    if state.answered_by:
        numbers.add(state.answered_by)
    for number in (state.caller, state.callee):
        if EXTENSION.match(number):
            numbers.add(number)
    summary = ImportSummary()
    return _known_extensions(pbx, numbers, summary)


def _apply_state(pbx: Pbx, call: Call, state: CallState, extensions: dict[str, Extension]) -> None:
    from_extension = _is_extension(state.caller, extensions)
    to_extension = _is_extension(state.callee, extensions)
    if state.direction:
        direction = state.direction
    elif from_extension and to_extension:
        direction = Direction.INTERNAL
    elif from_extension:
        direction = Direction.OUTBOUND
    else:
        direction = Direction.INBOUND
    call.direction = direction
    call.caller = _number(state.caller, extensions)
    call.callee = _number(state.callee, extensions)
    call.caller_name = state.caller_name
    call.line = state.line
    call.started_at = state.started_at
    call.answered_at = state.answered_at
    call.ended_at = state.ended_at
    if state.recording_url:
        call.recording_url = state.recording_url
    number = state.caller if direction == Direction.OUTBOUND else state.answered_by
    extension = extensions.get(number) if number else None
    call.extension = extension
    call.agent_id = extension.user_id if extension else None
    until = state.answered_at or state.ended_at
    call.wait_seconds = max(int((until - state.started_at).total_seconds()), 0) if until else 0
    call.talk_seconds = (
        max(int((state.ended_at - state.answered_at).total_seconds()), 0)
        if state.answered_at and state.ended_at
        else 0
    )
    call.missed_reason = ""
    if state.answered_at is not None:
        call.disposition = Disposition.ANSWERED
    elif state.ended_at is None:
        call.disposition = Disposition.IN_PROGRESS
    else:
        call.disposition = {
            EndReason.BUSY: Disposition.BUSY,
            EndReason.FAILED: Disposition.FAILED,
        }.get(state.reason, Disposition.MISSED)  # type: ignore[arg-type]
        if direction == Direction.INBOUND:
            call.missed_reason = _missed_reason(pbx, call, state)
    if call.contact_id is None:
        call.contact_id = _contacts([call.customer_number]).get(call.customer_number)
    call.updated_at = timezone.now()


def _missed_reason(pbx: Pbx, call: Call, state: CallState) -> str:
    if call.disposition == Disposition.MISSED and call.wait_seconds < pbx.short_abandon_seconds:
        return MissedReason.SHORT_ABANDON
    if not is_open(call.started_at):
        return MissedReason.OUT_OF_HOURS
    if state.rings:
        return MissedReason.NOT_ANSWERED
    if state.reason == EndReason.MENU:
        return MissedReason.ABANDONED_IN_MENU
    return MissedReason.NO_AGENT


def _replace_rings(call: Call, state: CallState, extensions: dict[str, Extension]) -> None:
    rings = list(state.rings)
    if state.answered_by and not any(number == state.answered_by for number, _at in rings):
        # Answered without a ringing event: it rang from the start.
        rings.append((state.answered_by, state.started_at))
    Ring.objects.filter(call=call).delete()
    built = []
    for number, rang_at in rings:
        extension = extensions[number]
        took = number == state.answered_by and state.answered_at is not None
        until = state.answered_at if took else state.ended_at
        built.append(
            Ring(
                call=call,
                extension=extension,
                agent_id=extension.user_id,
                rang_at=rang_at,
                answered=took,
                ring_seconds=max(int((until - rang_at).total_seconds()), 0) if until else 0,
            )
        )
    Ring.objects.bulk_create(built, ignore_conflicts=True)


# --- Agents' work on calls ------------------------------------------------


def do_add_call_summary(call: Call, *, body: str, author: Any) -> Ticket:
    """The agent's summary of a call, during or after it: an internal note
    in the call's conversation (opened now, for a call that has none)."""
    if not body.strip():
        raise ValidationError({"body": [_("Write what the call was about.")]})
    with transaction.atomic():
        ticket = call.ticket
        if ticket is None:
            if not call.customer_number.startswith("+"):
                raise ValidationError(
                    {"body": [_("This call has no number to keep a conversation for.")]}
                )
            requester = _requester(call)
            # Opened by what the call was; the summary is the agent's note in it.
            with translation.override(requester.language):
                subject = _("Call with %(name)s") % {"name": requester.name}
                opening = describe_call(call)
            ticket = do_create_ticket(
                subject=subject,
                body=opening,
                requester=requester,
                channel=Channel.PHONE,
                actor=author,
                from_customer=False,
                assignee=author if has_perm(author, Perm.WORK_TICKETS) else None,
                created_at=call.started_at,
            )
            _link(call, ticket)
        elif ticket.is_closed:
            raise Conflict(
                _("%(reference)s is closed.") % {"reference": ticket.reference}, field="body"
            )
        do_add_reply(ticket, body=body, public=False, author_user=author, channel=Channel.PHONE)
    return ticket


def do_issue_pbx_token(pbx: Pbx) -> str:
    """A new token for the PBX's events; the one before stops working. The
    token is answered once: only its digest is kept."""
    raw = new_raw_token()
    pbx.token_digest = token_digest(raw)
    pbx.save(update_fields=["token_digest"])
    return raw


def do_store_recording(call: Call, file: File) -> None:
    """Keep the call's recording here (it replaces one stored before)."""
    previous = call.recording.name if call.recording else ""
    name = f"{call.pk}{Path(file.name or '').suffix.lower()}"
    with transaction.atomic():
        call.recording.save(name, file, save=False)
        call.updated_at = timezone.now()
        call.save(update_fields=["recording", "updated_at"])
    if previous and previous != call.recording.name:
        call.recording.storage.delete(previous)


# --- Imports from the UI ----------------------------------------------------

SHOWN_PROBLEMS = 200


def read_cdr(
    format: str, lines: Iterable[str], *, tz: Any, columns: dict[str, str] | None = None
) -> Iterator[CdrRow | CdrProblem]:
    """The rows of a CDR file of this format (MappingError for a CSV whose
    header lacks the mapped columns)."""
    if format == ImportFormat.ASTERISK_CSV:
        return read_asterisk_csv(lines, tz=tz)
    if format == ImportFormat.CSV:
        return read_mapped_csv(lines, tz=tz, columns=columns or {})
    raise ValueError(f"No CDR format {format}")


def do_start_call_import(
    *,
    pbx: Pbx,
    upload: File,
    format: str,
    actor: Any,
    columns: dict[str, str] | None = None,
    file_recent_hours: int = 24,
) -> CallImport:
    """Keep the uploaded file and have the worker import it. A CSV's header
    is read now, so a mapping that does not fit is said at once."""
    if format == ImportFormat.CSV:
        upload.seek(0)
        head = upload.readline().decode("utf-8", errors="replace")
        upload.seek(0)
        try:
            next(read_mapped_csv([head], tz=UTC, columns=columns or {}), None)
        except MappingError as error:
            raise ValidationError({"columns": [str(error)]}) from None
    started = CallImport(
        pbx=pbx,
        filename=(upload.name or "calls.csv").rsplit("/", 1)[-1][:255],
        format=format,
        columns=columns or {},
        file_recent_hours=file_recent_hours,
        created_by=actor,
    )
    with transaction.atomic():
        started.file.save(started.filename, upload, save=False)
        started.save()
        from carebase.telephony.tasks import run_call_import

        transaction.on_commit(lambda: run_call_import.enqueue(started.pk))
    return started


def run_import(import_id: int) -> CallImport | None:
    """Import an uploaded file, saying how far it got after each chunk."""
    claimed = CallImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING
    )
    if not claimed:
        return None
    job = CallImport.objects.select_related("pbx").get(pk=import_id)

    def progress(summary: ImportSummary) -> None:
        CallImport.objects.filter(pk=job.pk).update(
            rows=summary.rows,
            imported=summary.imported,
            updated=summary.updated,
            unchanged=summary.unchanged,
            skipped=len(summary.skipped),
        )

    since = (
        timezone.now() - timedelta(hours=job.file_recent_hours) if job.file_recent_hours else None
    )
    try:
        with job.file.open("rb") as raw:
            lines = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
            if job.format == ImportFormat.ASTERISK_CSV:
                # In one process: the task worker runs threads (its heartbeat),
                # and forking a process with threads is not safe.
                summary = import_lines(
                    job.pbx, lines, progress=progress, file_since=since, workers=0
                )
            else:
                zone = ZoneInfo(job.pbx.time_zone)
                rows = read_cdr(job.format, lines, tz=zone, columns=job.columns)
                summary = do_import_cdr(job.pbx, rows, progress=progress, file_since=since)
    except (MappingError, OSError, UnicodeError) as error:
        job.status = ImportStatus.FAILED
        job.error = str(error)[:2000]
    else:
        job.status = ImportStatus.DONE
        job.rows, job.imported, job.updated = summary.rows, summary.imported, summary.updated
        job.unchanged, job.skipped, job.filed = (
            summary.unchanged,
            len(summary.skipped),
            summary.filed,
        )
        job.problems = [
            [problem.line, problem.reason] for problem in summary.skipped[:SHOWN_PROBLEMS]
        ]
        job.new_extensions = summary.new_extensions
    job.finished_at = timezone.now()
    job.save()
    return job


# --- Large files: drafting in another process -----------------------------


def import_lines(
    pbx: Pbx,
    lines: Iterable[str],
    *,
    progress: Callable[[ImportSummary], None] | None = None,
    file_since: datetime | None = None,
    workers: int = 1,
) -> ImportSummary:
    """Import an Asterisk Master.csv read as lines, like do_import_cdr, with
    the reading and drafting of each chunk done by `workers` other processes
    while this one writes the chunk before: on a machine of two cores, the
    CSV parsing and the database each get one. Chunks are written in the
    file's order, so the legs of a call split between two chunks merge as
    they do in one process. workers=0: everything in this process."""
    if workers < 1 or "fork" not in multiprocessing.get_all_start_methods():
        zone = ZoneInfo(pbx.time_zone)
        return do_import_cdr(
            pbx, read_asterisk_csv(lines, tz=zone), progress=progress, file_since=file_since
        )
    summary = ImportSummary()
    # No more than a few chunks read ahead: a million lines must not wait in memory.
    ahead = threading.BoundedSemaphore(workers + 2)

    def tasks() -> Iterator[tuple[int, list[str], str, int]]:
        for first_line, chunk in _line_chunks(lines, CHUNK):
            ahead.acquire()
            yield first_line, chunk, pbx.time_zone, pbx.short_abandon_seconds

    context = multiprocessing.get_context("fork")
    with _without_cycle_collection(), context.Pool(workers) as pool:
        for records, problems, drafts, numbers in pool.imap(_draft_lines, tasks()):
            ahead.release()
            summary.rows += records
            summary.skipped += problems
            if drafts:
                with transaction.atomic():
                    _store_chunk(pbx, drafts, numbers, summary)
            if progress is not None:
                progress(summary)
    if file_since is not None:
        summary.filed = file_recent_calls(pbx, file_since)
    return summary


def _line_chunks(lines: Iterable[str], size: int) -> Iterator[tuple[int, list[str]]]:
    """The file's lines in chunks of about `size` records, each ending where
    a record ends (a quoted field may hold a line break), with the number of
    its first line."""
    chunk: list[str] = []
    first_line, number, quotes, records = 1, 0, 0, 0
    for line in lines:
        number += 1
        chunk.append(line)
        quotes += line.count('"')
        if quotes % 2:
            continue  # inside a quoted field: the record goes on
        records += 1
        if records >= size:
            yield first_line, chunk
            chunk, first_line, records = [], number + 1, 0
    if chunk:
        yield first_line, chunk


def _draft_lines(
    task: tuple[int, list[str], str, int],
) -> tuple[int, list[CdrProblem], dict[str, _Draft], set[str]]:
    """In a worker process: a chunk of lines read and drafted."""
    first_line, lines, zone, short_abandon_seconds = task
    items = list(read_asterisk_csv(lines, tz=ZoneInfo(zone), first_line=first_line))
    rows = [item for item in items if isinstance(item, CdrRow)]
    problems = [item for item in items if isinstance(item, CdrProblem)]
    if not rows:
        return len(items), problems, {}, set()
    drafts, numbers = draft_chunk(rows, short_abandon_seconds)
    return len(items), problems, drafts, numbers
