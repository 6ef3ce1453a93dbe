"""Writes of the phone channel: calls imported from CDR files.

An import is idempotent: a call is keyed by the PBX's id for it (linkedid,
else uniqueid), and its legs merge by earliest start, latest end and first
answer, which give the same call however often, and in whatever chunks, its
legs are read. It runs in chunks of CHUNK rows, each in its own transaction:
a million-row file is never one transaction, and an import stopped half-way
is finished by running it again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import islice

from django.db import transaction
from django.utils import timezone

from carebase.core import deferred
from carebase.core.search import Among
from carebase.crm.identities import IdentityError, normalize_phone
from carebase.crm.models import ContactIdentity, IdentityKind
from carebase.telephony.cdr import CdrProblem, CdrRow
from carebase.telephony.models import (
    Call,
    CallSource,
    Direction,
    Disposition,
    Extension,
    MissedReason,
    Pbx,
)

CHUNK = 5000
# Applications that play a menu: a caller who hangs up there never reached a queue.
MENU_APPS = {"background", "read", "waitexten", "ivr", "playback"}
# A channel such as "PJSIP/101-0000000a": its peer is "101".
CHANNEL_PEER = re.compile(r"^[^/]+/(?P<peer>[^-/@]+)")
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


@dataclass
class ImportSummary:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    skipped: list[CdrProblem] = field(default_factory=list)
    # Extensions seen for the first time: calls on them wait for an agent.
    new_extensions: list[str] = field(default_factory=list)


def do_import_cdr(
    pbx: Pbx,
    items: Iterable[CdrRow | CdrProblem],
    *,
    progress: Callable[[ImportSummary], None] | None = None,
) -> ImportSummary:
    summary = ImportSummary()
    stream = iter(items)
    while chunk := list(islice(stream, CHUNK)):
        rows = [item for item in chunk if isinstance(item, CdrRow)]
        summary.skipped += [item for item in chunk if isinstance(item, CdrProblem)]
        summary.rows += len(chunk)
        with transaction.atomic():
            _import_chunk(pbx, rows, summary)
        if progress is not None:
            progress(summary)
    return summary


def _import_chunk(pbx: Pbx, rows: list[CdrRow], summary: ImportSummary) -> None:
    if not rows:
        return  # a chunk of bad lines only
    legs: dict[str, list[CdrRow]] = {}
    for row in rows:
        legs.setdefault(_call_key(row), []).append(row)
    extensions = _extensions(pbx, rows, summary)
    drafts = {key: _draft(pbx, key, group, extensions) for key, group in legs.items()}
    contacts = _contacts([draft.customer_number for draft in drafts.values()])
    stored = Call.objects.filter(Among("unique_id", drafts), pbx=pbx).select_related("extension")
    existing = {call.unique_id: call for call in stored}
    now = timezone.now()
    new, changed = [], []
    for key, draft in drafts.items():
        call = existing.get(key)
        if call is not None:
            draft.merge(call)
        values = draft.values(extensions, contacts)
        if call is None:
            call = Call(
                pbx=pbx,
                unique_id=key,
                source=CallSource.CDR,
                created_at=now,
                updated_at=now,
                **values,
            )
            new.append(call)
            continue
        if all(getattr(call, name) == value for name, value in values.items()):
            summary.unchanged += 1
            continue
        for name, value in values.items():
            setattr(call, name, value)
        call.updated_at = now
        changed.append(call)
    deferred.insert_each(new)
    deferred.update_each(changed, CALL_FIELDS)
    summary.imported += len(new)
    summary.updated += len(changed)


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

    @property
    def customer_number(self) -> str:
        return self.callee if self.direction == Direction.OUTBOUND else self.caller

    def merge(self, call: Call) -> None:
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
        self.ended = max(self.ended, call.ended_at)
        if call.answered_at is not None and (
            self.answered is None or call.answered_at < self.answered
        ):
            self.answered = call.answered_at
            self.disposition = Disposition.ANSWERED
            self.extension = call.extension.number if call.extension else self.extension
        if self.answered is None and call.missed_reason and not self.reason:
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


def _draft(pbx: Pbx, key: str, legs: list[CdrRow], extensions: dict[str, Extension]) -> _Draft:
    legs.sort(key=lambda leg: (leg.start, leg.sequence or 0))
    first = legs[0]
    answered = [leg for leg in legs if leg.disposition == "ANSWERED" and leg.answer]
    from_extension = _is_extension(first.src, extensions)
    to_extension = _is_extension(first.dst, extensions)
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
    extension = ""
    if direction == Direction.OUTBOUND:
        extension = first.src
    elif answered:
        extension = _peer(answered[0].dstchannel) or ""
    reason = ""
    if not answered:
        if any(_peer(leg.dstchannel) for leg in legs):
            reason = MissedReason.NOT_ANSWERED
        elif any(leg.lastapp.lower() in MENU_APPS for leg in legs):
            reason = MissedReason.ABANDONED_IN_MENU
    queues = [leg.lastdata.split(",")[0] for leg in legs if leg.lastapp.lower() == "queue"]
    return _Draft(
        direction=direction,
        caller=_number(first.caller_number or first.src, extensions),
        caller_name=first.caller_name[:200],
        callee=_number(first.dst, extensions),
        line=(queues[0] if queues else first.dcontext)[:80],
        started=first.start,
        ended=max(leg.end for leg in legs),
        answered=min(leg.answer for leg in answered if leg.answer) if answered else None,
        extension=extension,
        disposition=disposition,
        reason=reason,
        short_abandon_seconds=pbx.short_abandon_seconds,
    )


def _peer(channel: str) -> str | None:
    match = CHANNEL_PEER.match(channel)
    if match is None or not EXTENSION.match(match.group("peer")):
        return None
    return match.group("peer")


def _is_extension(number: str, extensions: dict[str, Extension]) -> bool:
    return number in extensions or bool(EXTENSION.match(number))


def _number(raw: str, extensions: dict[str, Extension]) -> str:
    """E.164 for a telephone number; an extension (or "s") as it is."""
    raw = raw.strip()
    if _is_extension(raw, extensions) or not raw:
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


def _extensions(pbx: Pbx, rows: list[CdrRow], summary: ImportSummary) -> dict[str, Extension]:
    """The PBX's extensions these rows name (who called, who answered),
    the new ones created unmapped."""
    numbers = set()
    for row in rows:
        for peer in (_peer(row.channel), _peer(row.dstchannel)):
            if peer:
                numbers.add(peer)
        if EXTENSION.match(row.src):
            numbers.add(row.src)
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
