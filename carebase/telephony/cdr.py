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
from datetime import UTC, datetime, tzinfo

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DISPOSITIONS = ("ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION")
COLUMN_COUNTS = (16, 17, 18, 21)
BASE_COLUMNS = (
    "accountcode",
    "src",
    "dst",
    "dcontext",
    "clid",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
    "start",
    "answer",
    "end",
    "duration",
    "billsec",
    "disposition",
    "amaflags",
)
# `"Jan Kowalski" <48221234567>`, `Jan <101>`, or a bare number.
CALLER_ID = re.compile(r'^\s*(?:"?(?P<name>[^"<]*?)"?\s*)?<(?P<number>[^<>]*)>\s*$')


@dataclass(frozen=True)
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


def read_asterisk_csv(lines: Iterable[str], *, tz: tzinfo) -> Iterator[CdrRow | CdrProblem]:
    """Each record of a Master.csv, in order: a CdrRow, or a CdrProblem for
    a line that cannot be one. `tz`: the zone the PBX writes its dates in."""
    reader = csv.reader(lines, strict=True)
    line = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield CdrProblem(line, _("Not a CSV line: %(error)s.") % {"error": error})
            line = reader.line_num + 1
            continue
        start_line, line = line, reader.line_num + 1
        if not fields or fields == [""]:
            continue  # a blank line
        yield _row(start_line, fields, tz)


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
    values = dict(zip(BASE_COLUMNS, fields, strict=False))
    try:
        start = _date(values["start"], tz, "start")
        end = _date(values["end"], tz, "end")
        answer = _date(values["answer"], tz, "answer") if values["answer"].strip() else None
        duration = _seconds(values["duration"], "duration")
        billsec = _seconds(values["billsec"], "billsec")
    except ValueError as error:
        return CdrProblem(line, str(error))
    disposition = values["disposition"].strip().upper()
    if disposition not in DISPOSITIONS:
        return CdrProblem(
            line,
            _("Unknown disposition “%(value)s”.") % {"value": values["disposition"]},
        )
    if end < start or (answer is not None and not start <= answer <= end):
        return CdrProblem(line, _("The call ends before it starts or is answered."))
    extra = fields[16:]
    caller_name, caller_number = _caller_id(values["clid"], values["src"])
    sequence = None
    if len(extra) == 5:
        try:
            sequence = int(extra[4])
        except ValueError:
            reason = _("The sequence “%(value)s” is not a number.") % {"value": extra[4]}
            return CdrProblem(line, reason)
    return CdrRow(
        line=line,
        accountcode=values["accountcode"],
        src=values["src"].strip(),
        dst=values["dst"].strip(),
        dcontext=values["dcontext"],
        caller_name=caller_name,
        caller_number=caller_number,
        channel=values["channel"],
        dstchannel=values["dstchannel"],
        lastapp=values["lastapp"],
        lastdata=values["lastdata"],
        start=start,
        answer=answer,
        end=end,
        duration=duration,
        billsec=billsec,
        disposition=disposition,
        amaflags=values["amaflags"],
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
