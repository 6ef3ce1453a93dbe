"""Asterisk's cdr_csv Master.csv (no header; 16, 17, 18 or 21 columns; dates
in the PBX's zone; an empty answer time for unanswered calls) is read into
rows, and every line that cannot be a record is reported with its number
and reason while the rest is read on."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from carebase.telephony.cdr import CdrProblem, CdrRow, read_asterisk_csv

SAMPLE = Path(__file__).parent / "data" / "Master.csv"
WARSAW = ZoneInfo("Europe/Warsaw")


def read(path=SAMPLE):
    with path.open(newline="", encoding="utf-8") as lines:
        return list(read_asterisk_csv(lines, tz=WARSAW))


def test_every_column_layout_is_read():
    rows = [item for item in read() if isinstance(item, CdrRow)]
    assert [row.line for row in rows] == [1, 2, 3, 4, 5, 14]
    answered, missed, outbound, busy, congested, last = rows
    assert (answered.caller_name, answered.caller_number) == ("Jan Kowalski", "48221234567")
    assert answered.dst == "100" and answered.disposition == "ANSWERED"
    assert answered.start == datetime(2026, 11, 2, 9, 15, 1, tzinfo=WARSAW)
    assert answered.answer == datetime(2026, 11, 2, 9, 15, 9, tzinfo=WARSAW)
    assert (answered.duration, answered.billsec) == (280, 272)
    assert answered.uniqueid == "" and answered.call_id == ""
    # 18 columns: uniqueid and userfield; nobody answered.
    assert missed.answer is None and missed.disposition == "NO ANSWER"
    assert missed.uniqueid == "1730535600.3" and missed.call_id == "1730535600.3"
    assert missed.lastdata == "support,t,,,45"
    # 21 columns: peeraccount, linkedid and sequence too.
    assert (outbound.src, outbound.dst, outbound.accountcode) == ("101", "48221234567", "acme")
    assert (outbound.userfield, outbound.linkedid, outbound.sequence) == (
        "callback",
        "1730538000.4",
        12,
    )
    # A leg of a longer call is grouped by its linkedid.
    assert busy.call_id == "1730541600.5" and busy.uniqueid == "1730541600.6"
    assert (busy.caller_name, busy.caller_number) == ("", "48221234567")
    # A bare number as caller id, and the old "Unknown" AMA flag.
    assert (congested.caller_name, congested.caller_number) == ("", "48221234567")
    assert congested.disposition == "CONGESTION" and congested.amaflags == "Unknown"
    assert last.start.astimezone(WARSAW).hour == 17  # read in the PBX's zone, kept in UTC


def test_bad_lines_are_reported_with_their_numbers_and_reasons():
    problems = {item.line: item.reason for item in read() if isinstance(item, CdrProblem)}
    assert sorted(problems) == [6, 7, 9, 10, 11, 13]
    assert "15 columns" in problems[6]
    assert "start time “2026-11-02 25:00:00”" in problems[7]
    assert "ANSWERD" in problems[9]
    assert "ends before it starts" in problems[10]
    # A quoted field spanning two lines: the record is reported where it starts.
    assert "billsec “-30”" in problems[11]
    assert "Not a CSV line" in problems[13]


def test_an_empty_file_has_no_rows(tmp_path):
    empty = tmp_path / "Master.csv"
    empty.write_text("")
    assert read(empty) == []
