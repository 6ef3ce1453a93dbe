"""Poll every active mailbox that has an IMAP server, once (the worker does
it every minute): store, mark seen and file each unseen message."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from carebase.core.realtime import relay_through_database
from carebase.mail.fetch import fetch_all


class Command(BaseCommand):
    help = "Fetch unseen mail from every mailbox with an IMAP server, once."

    def handle(self, *args: Any, **options: Any) -> None:
        failed = 0
        with relay_through_database():  # this process has no open pages
            results = fetch_all()
        for result in results:
            if result.error:
                failed += 1
                self.stderr.write(f"{result.mailbox.name}: {result.error}")
            else:
                self.stdout.write(f"{result.mailbox.name}: {result.stored} new")
        if failed:
            raise SystemExit(1)
