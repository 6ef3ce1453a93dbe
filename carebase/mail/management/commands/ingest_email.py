"""Read one RFC 5322 message on stdin and file it; print one JSON line.

Usable as a Postfix or Exim pipe (`| manage.py ingest_email --mailbox support`):
it exits 0 once the message is stored, whatever processing made of it, and
75 (EX_TEMPFAIL, "try again later") only when the database cannot be reached,
so the mail server keeps the message and retries.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, InterfaceError, OperationalError

from carebase.core.realtime import relay_through_database
from carebase.core.search import indexing_later
from carebase.mail.actions import do_process_email, do_receive_email
from carebase.mail.models import Mailbox

EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Read one email message on stdin, store it and file it into a conversation."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--mailbox", help="The mailbox's name (its team and language).")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            raise CommandError("No message on standard input.")
        try:
            mailbox = None
            if options["mailbox"]:
                mailbox = Mailbox.objects.filter(name=options["mailbox"]).first()
                if mailbox is None:
                    raise CommandError(f"No mailbox is called “{options['mailbox']}”.")
            inbound = do_receive_email(raw, mailbox=mailbox, source="pipe")
        except (OperationalError, InterfaceError) as error:
            self.stderr.write(f"The database cannot be reached: {error}")
            sys.exit(EX_TEMPFAIL)
        except DatabaseError as error:
            self.stderr.write(f"The message could not be stored: {error}")
            sys.exit(EX_TEMPFAIL)
        # This process has no open pages and no loaded dictionaries: its live
        # updates and its search indexing go through the web and the worker.
        with relay_through_database(), indexing_later():
            outcome = do_process_email(inbound)
        self.stdout.write(json.dumps(outcome.as_json()))
