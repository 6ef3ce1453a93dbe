"""`manage.py import_calls --format asterisk-csv FILE [--pbx NAME]`: import a
PBX's call detail records; running it again on the same file changes
nothing, and on a longer one adds what is new. `--format csv --columns
"call_id=ID,start=Start,..."` reads any CSV with a header row."""

from __future__ import annotations

import io
import os
import sys
import time
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from carebase.telephony.actions import ImportSummary, do_import_cdr, import_lines, read_cdr
from carebase.telephony.cdr import MAPPED_FIELDS, MappingError, parse_mapping
from carebase.telephony.models import ImportFormat, Pbx

FORMATS = tuple(ImportFormat.values)
SHOWN_PROBLEMS = 50
BAR = 30


class Command(BaseCommand):
    help = "Import call detail records (Asterisk's Master.csv) into calls."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CDR file, or - for standard input.")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument(
            "--pbx", help="The PBX the records come from (needed when there are several)."
        )
        parser.add_argument(
            "--columns",
            default="",
            help="For --format csv: which column holds what, as field=Column name, comma"
            " separated. Fields: " + ", ".join(MAPPED_FIELDS) + ". A field left out is looked"
            " for under its own name.",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Processes that read and draft the Asterisk file while this one writes"
            " (default 1; 0: all in this process).",
        )
        parser.add_argument(
            "--file-recent",
            type=int,
            default=24,
            metavar="HOURS",
            help="Put the calls of the last HOURS into conversations and callbacks"
            " (default 24; 0: none, the file is history).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pbx = _pbx(options["pbx"])
        zone = ZoneInfo(pbx.time_zone)
        self._raw: Any = None
        self._size = 0
        self._started = time.monotonic()
        try:
            if options["file"] == "-":
                lines: Any = sys.stdin
            else:
                self._raw = open(options["file"], "rb")  # noqa: SIM115 (closed below)
                self._size = os.fstat(self._raw.fileno()).st_size
                lines = io.TextIOWrapper(self._raw, encoding="utf-8", errors="replace", newline="")
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}.") from None
        try:
            hours = options["file_recent"]
            if hours < 0:
                raise CommandError("--file-recent takes a number of hours, 0 or more.")
            since = timezone.now() - timedelta(hours=hours) if hours else None
            columns = parse_mapping(options["columns"])
            if options["format"] == ImportFormat.ASTERISK_CSV:
                summary = import_lines(
                    pbx,
                    lines,
                    progress=self._progress,
                    file_since=since,
                    workers=options["workers"],
                )
            else:
                rows = read_cdr(options["format"], lines, tz=zone, columns=columns)
                summary = do_import_cdr(pbx, rows, progress=self._progress, file_since=since)
        except MappingError as error:
            raise CommandError(str(error)) from None
        finally:
            if lines is not sys.stdin:
                lines.close()
        self.stderr.write("")
        self.stdout.write(
            f"{summary.rows} records: {summary.imported} calls imported, {summary.updated} updated,"
            f" {summary.unchanged} unchanged, {len(summary.skipped)} records skipped."
        )
        for problem in summary.skipped[:SHOWN_PROBLEMS]:
            self.stdout.write(f"  line {problem.line}: {problem.reason}")
        if len(summary.skipped) > SHOWN_PROBLEMS:
            self.stdout.write(f"  ... and {len(summary.skipped) - SHOWN_PROBLEMS} more.")
        if summary.filed:
            self.stdout.write(f"{summary.filed} recent calls put into conversations.")
        if summary.new_extensions:
            self.stdout.write(
                "New extensions, to map to agents: " + ", ".join(summary.new_extensions)
            )

    def _progress(self, summary: ImportSummary) -> None:
        """A progress bar on stderr: the share of the file read, the rate,
        and the time left (records read only, from standard input)."""
        elapsed = max(time.monotonic() - self._started, 0.001)
        rate = summary.rows / elapsed
        if self._raw is None or not self._size:
            self.stderr.write(f"\r{summary.rows:,} records read, {rate:,.0f}/s", ending="")
        else:
            done = min(self._raw.tell() / self._size, 1.0)
            filled = int(done * BAR)
            left = elapsed * (1 - done) / done if done else 0
            self.stderr.write(
                f"\r[{'#' * filled}{'.' * (BAR - filled)}] {done:4.0%} {summary.rows:,} records,"
                f" {rate:,.0f}/s, {_duration(left)} left ",
                ending="",
            )
        self.stderr.flush()


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def _pbx(name: str | None) -> Pbx:
    if name:
        pbx = Pbx.objects.filter(name=name).first()
        if pbx is None:
            raise CommandError(f"No PBX is called “{name}”.")
        return pbx
    pbxs = list(Pbx.objects.all()[:2])
    if len(pbxs) > 1:
        raise CommandError("There are several PBXs: name one with --pbx.")
    if pbxs:
        return pbxs[0]
    # The first import on a new installation: the PBX is created for it.
    return Pbx.objects.create(name="pbx")
