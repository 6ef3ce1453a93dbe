#!/usr/bin/env python
"""Email intake throughput: 10,000 varied messages (threads of replies,
HTML alternatives, attachments, Polish charsets, a few without Message-ID)
stored and filed by one process in batches of 50, as the worker's IMAP
fetch does (a batch is stored in one commit, then filed in another). The
issue's target: at least 200 messages a second.

    .venv/bin/python bench/email_ingest.py                  # PostgreSQL, carebase_bench_mail
    .venv/bin/python bench/email_ingest.py --messages 2000  # a quick look
    .venv/bin/python bench/email_ingest.py --database-url sqlite:///var/bench-mail.sqlite3

The database is emptied of email and conversations first (it is the
benchmark's own, never the one `make run` uses). Prints messages per second
and the p50 and p95 time per message, and how the messages were filed.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import statistics
import sys
import time
from datetime import UTC
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUBJECTS = [
    "Nie działają nagrania rozmów",
    "Widżet oddzwaniania nie ładuje się na stronie",
    "Prośba o konfigurację numeru dla nowej kampanii",
    "Eksport raportu połączeń do CSV",
    "Callback widget missing on the booking page",
    "Invoice for November",
    "Przekierowanie po godzinach pracy",
    "Question about call tracking for Google Ads",
]
LINES = [
    "Dzień dobry, od wczoraj nie widzimy nagrań rozmów przychodzących w panelu.",
    "Sprawdziliśmy w Chrome i Firefoksie, problem występuje na wszystkich podstronach.",
    "Czy możemy prosić o pilny kontakt? Klient czeka na raport.",
    "Hi, the widget stopped loading after our last deployment yesterday evening.",
    "Could you also send us the invoice as a PDF? Our accounting needs it.",
    "Zależy nam na tym, żeby numer dynamiczny podmieniał się na landing page'u.",
    "Thanks for the quick answer, it works now.",
    "Załączam zrzut ekranu z błędem oraz eksport z konsoli przeglądarki.",
]


def message(rng: random.Random, number: int, thread: dict) -> bytes:
    email = EmailMessage()
    sender = thread["sender"]
    email["From"] = f"Klient {sender} <klient{sender}@firma{sender % 400}.example>"
    email["To"] = "pomoc@carebase.example"
    reply = thread["ids"] != []
    email["Subject"] = ("Re: " if reply else "") + thread["subject"]
    email["Date"] = format_datetime(thread["at"])
    if rng.random() > 0.02:
        message_id = f"<{number}.{rng.getrandbits(40):x}@firma.example>"
        email["Message-ID"] = message_id
    else:
        message_id = ""
    if reply and rng.random() > 0.05:
        email["In-Reply-To"] = thread["ids"][-1]
        email["References"] = " ".join(thread["ids"][-10:])
    body = "\n\n".join(rng.sample(LINES, rng.randrange(2, 5)))
    if reply:
        body += "\n\nW dniu 1.12.2026 o 10:00, Pomoc napisał(a):\n> " + "\n> ".join(LINES[:3])
    charset = "iso-8859-2" if rng.random() < 0.15 else "utf-8"
    try:
        email.set_content(body, charset=charset)
    except UnicodeEncodeError:
        email.set_content(body)
    if rng.random() < 0.35:
        paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n\n"))
        email.add_alternative(f"<html><body>{paragraphs}</body></html>", subtype="html")
    if rng.random() < 0.10:
        email.add_attachment(
            rng.randbytes(rng.randrange(5_000, 80_000)),
            maintype="application",
            subtype="pdf",
            filename=f"dokument-{number}.pdf",
        )
    if message_id:
        thread["ids"].append(message_id)
    return email.as_bytes()


def corpus(count: int) -> list[bytes]:
    from datetime import datetime, timedelta

    rng = random.Random(20261201)
    threads: list[dict] = []
    messages = []
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for number in range(count):
        if not threads or rng.random() < 0.3:
            threads.append(
                {
                    "sender": rng.randrange(3000),
                    "subject": f"{rng.choice(SUBJECTS)} ({number})",
                    "ids": [],
                    "at": start + timedelta(minutes=number),
                }
            )
            thread = threads[-1]
        else:
            thread = rng.choice(threads[-200:])
        messages.append(message(rng, number, thread))
    return messages


# The tables start empty and grow by thousands of rows: autovacuum would
# refresh the planner's statistics as they grow (it analyzes a table once a
# tenth of it changed), but it is off on some servers (this machine's), and
# a plan made for an empty table scans the whole of a full one. So the
# benchmark analyzes the tables filing reads, as autovacuum would, and counts
# the time it takes.
ANALYZE_EVERY = 1000
ANALYZED = (
    "mail_emailreference",
    "mail_inboundemail",
    "crm_contactidentity",
    "crm_contact",
    "tickets_ticket",
)  # not the search documents: read by their key only, and slow to analyze


def analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(ANALYZED)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/carebase_bench_mail"
    )
    parser.add_argument("--messages", type=int, default=10_000)
    arguments = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from inbox import prepare_database

    prepare_database(arguments.database_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebase.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from carebase.core.realtime import relay_through_database
    from carebase.core.search import load_dictionaries
    from carebase.crm.models import Contact
    from carebase.mail.actions import do_process_emails, do_receive_emails
    from carebase.mail.fetch import BATCH
    from carebase.mail.models import EmailReference, InboundEmail, Mailbox
    from carebase.tickets.models import Ticket

    load_dictionaries()
    InboundEmail.objects.all().delete()
    EmailReference.objects.all().delete()
    Ticket.objects.all().delete()
    Contact.objects.filter(user__isnull=True).delete()
    mailbox, _created = Mailbox.objects.get_or_create(
        name="pomoc", defaults={"address": "pomoc@carebase.example"}
    )
    print(f"composing {arguments.messages} messages...", flush=True)
    messages = corpus(arguments.messages)
    size = sum(len(raw) for raw in messages)
    engine = arguments.database_url.split(":")[0]
    print(f"{len(messages)} messages, {size / 1e6:.1f} MB; filing into {engine}")
    timings = []
    batch_timings = []
    outcomes: collections.Counter[str] = collections.Counter()
    started = time.perf_counter()
    with relay_through_database():  # as the worker and the pipe run it
        for start in range(0, len(messages), BATCH):
            if start % ANALYZE_EVERY == 0:
                analyze()
            batch = messages[start : start + BATCH]
            begun = time.perf_counter()
            stored = do_receive_emails(batch, mailbox=mailbox, source="imap")
            filed = do_process_emails(stored)
            took = (time.perf_counter() - begun) * 1000
            batch_timings.append(took)
            timings += [took / len(batch)] * len(batch)
            outcomes.update(outcome.inbound.status for outcome in filed)
    elapsed = time.perf_counter() - started
    rate = len(messages) / elapsed
    p50 = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[18]
    batch_p95 = statistics.quantiles(batch_timings, n=20)[18]
    print(f"{rate:.0f} messages per second ({elapsed:.1f} s)")
    print(f"per message: p50 {p50:.1f} ms, p95 {p95:.1f} ms (a batch's time over its messages)")
    print(
        f"per batch of {BATCH} (stored, then filed): p50 {statistics.median(batch_timings):.0f} ms,"
        f" p95 {batch_p95:.0f} ms: the longest a fetched message waits to be filed"
    )
    print("filed:", ", ".join(f"{status} {count}" for status, count in outcomes.most_common()))
    print(f"{Ticket.objects.count()} conversations")
    print("target (200 a second) met" if rate >= 200 else "below the target of 200 a second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
