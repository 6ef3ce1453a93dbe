"""Reading call detail records (CDR) that PBXs write, into plain rows.

Asterisk's `cdr_csv` writes Master.csv with no header row, in a fixed
column order (../shared/formats.md): 16 columns, then uniqueid
(`loguniqueid=yes`), userfield (`loguserfield=yes`), and peeraccount,
linkedid, sequence (`newcdrcolumns=yes`): 16, 17, 18 or 21 columns. Dates
are the PBX's local time unless it writes GMT (`usegmtime=yes`); an answer
time of a call nobody answered is an empty field.

A row that cannot be read is reported with its line number and reason and
the rest is read on: one bad line must not stop an import of a million.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DISPOSITIONS = ("ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION")
COLUMN_COUNTS = (16, 17, 18, 21)
# `"Jan Kowalski" <48221234567>`, `Jan <101>`, or a bare number.
CALLER_ID = re.compile(r'^\s*(?:"?(?P<name>[^"<]*?)"?\s*)?<(?P<number>[^<>]*)>\s*$')


@dataclass(slots=True)  # not frozen: a million of them are made, and frozen is slower
class CdrRow:
    line: int  # where the row starts in the file (a quoted field may span lines)
    accountcode: str
    src: str
    dst: str
    dcontext: str
    caller_name: str  # from clid
    caller_number: str  # from clid, else src
    channel: str
    dstchannel: str
    lastapp: str
    lastdata: str
    start: datetime
    answer: datetime | None
    end: datetime
    duration: int  # seconds, end - start
    billsec: int  # seconds, end - answer
    disposition: str  # one of DISPOSITIONS
    amaflags: str
    uniqueid: str = ""
    userfield: str = ""
    peeraccount: str = ""
    linkedid: str = ""  # the call a leg belongs to (Asterisk 12+)
    sequence: int | None = None

    @property
    def call_id(self) -> str:
        """What groups the legs of one call: linkedid when the PBX writes it,
        else the leg's own uniqueid."""
        return self.linkedid or self.uniqueid


@dataclass(frozen=True)
class CdrProblem:
    line: int
    reason: str


def read_asterisk_csv(
    lines: Iterable[str], *, tz: tzinfo, first_line: int = 1
) -> Iterator[CdrRow | CdrProblem]:
    """Each record of a Master.csv, in order: a CdrRow, or a CdrProblem for
    a line that cannot be one. `tz`: the zone the PBX writes its dates in;
    `first_line`: the number of the first line (of a chunk of a file)."""
    reader = csv.reader(lines, strict=True)
    for line, fields in _records(reader, first_line=first_line):
        yield fields if isinstance(fields, CdrProblem) else _row(line, fields, tz)


def _records(reader: Any, *, first_line: int) -> Iterator[tuple[int, list[str] | CdrProblem]]:
    """(the line a record starts on, its fields) of each record of a CSV
    reader, or a CdrProblem for one that is not CSV; blank lines skipped."""
    line = first_line
    offset = first_line - reader.line_num  # the reader counts the lines it has read
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield line, CdrProblem(line, _("Not a CSV line: %(error)s.") % {"error": error})
            line = offset + reader.line_num
            continue
        start_line, line = line, offset + reader.line_num
        if fields and fields != [""]:
            yield start_line, fields


def _row(line: int, fields: list[str], tz: tzinfo) -> CdrRow | CdrProblem:
    if len(fields) not in COLUMN_COUNTS:
        return CdrProblem(
            line,
            ngettext(
                "%(count)s column; an Asterisk CDR has 16, 17, 18 or 21.",
                "%(count)s columns; an Asterisk CDR has 16, 17, 18 or 21.",
                len(fields),
            )
            % {"count": len(fields)},
        )
    (accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata,
     start_text, answer_text, end_text, duration_text, billsec_text, disposition_text,
     amaflags) = fields[:16]  # fmt: skip
    try:
        start = _date(start_text, tz, "start")
        end = _date(end_text, tz, "end")
        answer = _date(answer_text, tz, "answer") if answer_text.strip() else None
        duration = _seconds(duration_text, "duration")
        billsec = _seconds(billsec_text, "billsec")
    except ValueError as error:
        return CdrProblem(line, str(error))
    disposition = disposition_text.strip().upper()
    if disposition not in DISPOSITIONS:
        return CdrProblem(
            line,
            _("Unknown disposition “%(value)s”.") % {"value": disposition_text},
        )
    if end < start or (answer is not None and not start <= answer <= end):
        return CdrProblem(line, _("The call ends before it starts or is answered."))
    extra = fields[16:]
    caller_name, caller_number = _caller_id(clid, src)
    sequence = None
    if len(extra) == 5:
        try:
            sequence = int(extra[4])
        except ValueError:
            reason = _("The sequence “%(value)s” is not a number.") % {"value": extra[4]}
            return CdrProblem(line, reason)
    return CdrRow(
        line=line,
        accountcode=accountcode,
        src=src.strip(),
        dst=dst.strip(),
        dcontext=dcontext,
        caller_name=caller_name,
        caller_number=caller_number,
        channel=channel,
        dstchannel=dstchannel,
        lastapp=lastapp,
        lastdata=lastdata,
        start=start,
        answer=answer,
        end=end,
        duration=duration,
        billsec=billsec,
        disposition=disposition,
        amaflags=amaflags,
        uniqueid=extra[0] if len(extra) >= 1 else "",
        userfield=extra[1] if len(extra) >= 2 else "",
        peeraccount=extra[2] if len(extra) >= 3 else "",
        linkedid=extra[3] if len(extra) >= 4 else "",
        sequence=sequence,
    )


DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$")


def _date(value: str, tz: tzinfo, column: str) -> datetime:
    # By hand: strptime took a third of the time of reading a record.
    found = DATE.match(value.strip())
    try:
        if found is None:
            raise ValueError(value)
        year, month, day, hour, minute, second = map(int, found.groups())
        # In UTC: a local time in the hour that repeats when summer time ends
        # never compares equal to another zone's (PEP 495), so an import
        # would see every such call as changed, every time.
        return datetime(year, month, day, hour, minute, second, tzinfo=tz).astimezone(UTC)
    except ValueError:
        raise ValueError(
            _("The %(column)s time “%(value)s” is not YYYY-MM-DD HH:MM:SS.")
            % {"column": column, "value": value}
        ) from None


def _seconds(value: str, column: str) -> int:
    value = value.strip()
    if not value.isascii() or not value.isdigit():
        raise ValueError(
            _("The %(column)s “%(value)s” is not a number of seconds.")
            % {"column": column, "value": value}
        )
    return int(value)


def _caller_id(clid: str, src: str) -> tuple[str, str]:
    """(name, number) of a caller id such as `"Jan Kowalski" <48221234567>`;
    a clid without a number gives src's."""
    match = CALLER_ID.match(clid)
    if not match:
        bare = clid.strip().strip('"')
        return ("" if bare in ("", src.strip()) else bare), src.strip()
    name = (match.group("name") or "").strip()
    number = match.group("number").strip() or src.strip()
    return name, number


# --- A generic CSV: a header row, and which column holds what ----------------

# carebase's name of each value → what it means; the first three and the
# numbers are required, the end or the duration too.
MAPPED_FIELDS = {
    "call_id": "the PBX's id of the call (rows with the same id are legs of one call)",
    "start": "when the call started",
    "caller": "the calling number or extension",
    "callee": "the called number or extension",
    "end": "when it ended",
    "duration": "or: its length in seconds, from the start",
    "answer": "when it was answered (empty: not answered)",
    "disposition": "answered, no answer, missed, busy, failed...",
    "agent": "the extension that answered (inbound) or called (outbound)",
    "caller_name": "the caller id name",
    "line": "the queue or line it came in on",
}
REQUIRED_FIELDS = ("call_id", "start", "caller", "callee")
DISPOSITION_WORDS = {
    "answered": "ANSWERED", "completed": "ANSWERED", "connected": "ANSWERED",
    "odebrane": "ANSWERED", "no answer": "NO ANSWER", "noanswer": "NO ANSWER",
    "no_answer": "NO ANSWER", "missed": "NO ANSWER", "unanswered": "NO ANSWER",
    "abandoned": "NO ANSWER", "nieodebrane": "NO ANSWER", "busy": "BUSY", "zajęte": "BUSY",
    "failed": "FAILED", "congestion": "CONGESTION", "error": "FAILED",
}  # fmt: skip
MAPPED_DATE = re.compile(
    r"^(?:(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})|(?P<d2>\d{2})\.(?P<m2>\d{2})\.(?P<y2>\d{4}))"
    r"[ T](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\.\d+)?(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)


class MappingError(ValueError):
    """A column mapping that cannot be used; the message says why."""


def parse_mapping(text: str) -> dict[str, str]:
    """ "call_id=Call ID, start=Start time, ..." → {"call_id": "Call ID", ...}."""
    columns: dict[str, str] = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        field, sep, column = part.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not column:
            raise MappingError(
                _("Write each column as field=Column name: “%(part)s”.") % {"part": part}
            )
        if field not in MAPPED_FIELDS:
            raise MappingError(
                _("“%(field)s” is not a field carebase reads; these are: %(fields)s.")
                % {"field": field, "fields": ", ".join(MAPPED_FIELDS)}
            )
        columns[field] = column
    return columns


def read_mapped_csv(
    lines: Iterable[str], *, tz: tzinfo, columns: dict[str, str]
) -> Iterator[CdrRow | CdrProblem]:
    """Each record of a CSV file with a header row, its columns named by
    `columns` ({carebase field: header}; a field left out is looked for
    under its own name). Dates are ISO 8601 or DD.MM.YYYY HH:MM[:SS], in
    `tz` unless they carry an offset. MappingError when the header lacks a
    required column."""
    sample = iter(lines)
    reader = csv.reader(sample, strict=True)
    try:
        header = [name.strip().lstrip("\ufeff") for name in next(reader)]
    except StopIteration:
        raise MappingError(_("The file is empty: a header row is needed.")) from None
    except csv.Error as error:
        raise MappingError(_("The header row is not CSV: %(error)s.") % {"error": error}) from None
    where: dict[str, int] = {}
    for field in MAPPED_FIELDS:
        name = columns.get(field, field)
        if name in header:
            where[field] = header.index(name)
        elif field in columns:
            raise MappingError(
                _("The file has no column “%(column)s” (for %(field)s); it has: %(header)s.")
                % {"column": name, "field": field, "header": ", ".join(header)}
            )
    missing = [field for field in REQUIRED_FIELDS if field not in where]
    if "end" not in where and "duration" not in where:
        missing.append("end / duration")
    if missing:
        raise MappingError(
            _("Name the columns of: %(fields)s (the file has: %(header)s).")
            % {"fields": ", ".join(missing), "header": ", ".join(header)}
        )
    for line, fields in _records(reader, first_line=reader.line_num + 1):
        yield fields if isinstance(fields, CdrProblem) else _mapped_row(line, fields, where, tz)


def _mapped_row(
    line: int, fields: list[str], where: dict[str, int], tz: tzinfo
) -> CdrRow | CdrProblem:
    if len(fields) <= max(where.values()):
        return CdrProblem(
            line,
            _("%(count)s columns; the header has more.") % {"count": len(fields)},
        )
    value = {field: fields[index].strip() for field, index in where.items()}
    if not value["call_id"]:
        return CdrProblem(line, _("The call id is empty."))
    try:
        start = _mapped_date(value["start"], tz, "start")
        answer = _mapped_date(value["answer"], tz, "answer") if value.get("answer") else None
        if value.get("end"):
            end = _mapped_date(value["end"], tz, "end")
        else:
            end = start + timedelta(seconds=_seconds(value.get("duration", ""), "duration"))
    except ValueError as error:
        return CdrProblem(line, str(error))
    raw = value.get("disposition", "")
    if raw:
        disposition = DISPOSITION_WORDS.get(raw.lower()) or (
            raw.upper() if raw.upper() in DISPOSITIONS else ""
        )
        if not disposition:
            return CdrProblem(line, _("Unknown disposition “%(value)s”.") % {"value": raw})
    else:
        disposition = "ANSWERED" if answer is not None else "NO ANSWER"
    if disposition == "ANSWERED" and answer is None:
        answer = start  # answered, its moment not written: no wait known
    if end < start or (answer is not None and not start <= answer <= end):
        return CdrProblem(line, _("The call ends before it starts or is answered."))
    agent = value.get("agent", "")
    caller, callee = value["caller"], value["callee"]
    # As cdr_csv would write it: the agent's extension on the leg's channel,
    # so that the same import code says who answered or called.
    outbound = bool(agent) and caller == agent
    return CdrRow(
        line=line,
        accountcode="",
        src=caller,
        dst=callee,
        dcontext=value.get("line", ""),
        caller_name=value.get("caller_name", ""),
        caller_number=caller,
        channel=f"CSV/{caller}" if outbound else "CSV/trunk",
        dstchannel=f"CSV/{agent}" if agent and not outbound else "",
        lastapp="",
        lastdata="",
        start=start,
        answer=answer,
        end=end,
        duration=int((end - start).total_seconds()),
        billsec=int((end - answer).total_seconds()) if answer else 0,
        disposition=disposition,
        amaflags="",
        uniqueid=value["call_id"][:150],
    )


def _mapped_date(text: str, tz: tzinfo, column: str) -> datetime:
    found = MAPPED_DATE.match(text)
    if found is None:
        raise ValueError(
            _("The %(column)s time “%(value)s” is not a date and time (2026-12-01 09:30:00).")
            % {"column": column, "value": text}
        )
    parts = found.groupdict()
    year, month, day = (
        (parts["y"] or parts["y2"]),
        (parts["m"] or parts["m2"]),
        (parts["d"] or parts["d2"]),
    )
    zone: tzinfo = tz
    if parts["tz"] == "Z":
        zone = UTC
    elif parts["tz"]:
        sign = -1 if parts["tz"][0] == "-" else 1
        digits = parts["tz"][1:].replace(":", "")
        zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        moment = datetime(
            int(year), int(month), int(day), int(parts["H"]), int(parts["M"]), int(parts["S"] or 0),
            tzinfo=zone,
        )  # fmt: skip
    except ValueError:
        raise ValueError(
            _("The %(column)s time “%(value)s” is not a date and time (2026-12-01 09:30:00).")
            % {"column": column, "value": text}
        ) from None
    return moment.astimezone(UTC)
