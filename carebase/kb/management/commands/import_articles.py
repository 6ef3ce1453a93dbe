"""`manage.py import_articles PATH --format markdown|zendesk|freshdesk
[--as USERNAME] [--dry-run]`: import knowledge-base articles and print one
JSON line, `{"created": n, "updated": n, "unchanged": n, "categories": n}`.

An import is all or nothing: on any problem it lists them on standard error,
one a line, exits with 1 and changes nothing. Importing the same export
again changes nothing (every article counts as unchanged), so it can run
on every deploy or from cron. `--dry-run` does the whole import and rolls
it back: the summary says what would change. docs/knowledge-import.md
describes the formats.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from carebase.accounts.models import User
from carebase.kb.imports_external import READERS, import_external
from carebase.kb.transfer import ImportReport, import_folder

FORMATS = ("markdown", *READERS)


class Command(BaseCommand):
    help = (
        "Import knowledge-base articles: a folder of Markdown files (or the zip export_articles"
        " writes), or a Zendesk Guide or Freshdesk Solutions export (JSON file, folder of JSON"
        " files, or CSV)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The folder, zip, JSON or CSV file to import.")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="Who imports: the author of the versions and owner of new articles"
            " (default: nobody).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check everything and count what would change, then roll it all back.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        actor = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"]).first()
            if actor is None:
                raise CommandError(f"No user is called “{options['username']}”.")
        try:
            with transaction.atomic():
                report = _import(path, options["format"], actor)
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except ValidationError as error:
            problems = (
                [message for messages in error.message_dict.values() for message in messages]
                if hasattr(error, "error_dict")
                else error.messages
            )
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  {problem}" for problem in problems)
            ) from None
        summary = {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "categories": report.categories,
        }
        self.stdout.write(json.dumps(summary))


def _import(path: Path, source_format: str, actor: Any) -> ImportReport:
    if source_format != "markdown":
        return import_external(path, source_format, actor)
    if path.is_dir():
        return import_folder(path, actor)
    # The zip that export_articles writes.
    try:
        with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as folder:
            for member in archive.namelist():
                if member.endswith((".md", ".yaml")):
                    archive.extract(member, folder)  # extract() keeps it inside the folder
            return import_folder(Path(folder), actor)
    except zipfile.BadZipFile:
        raise CommandError(f"{path} is neither a folder nor a zip file.") from None
