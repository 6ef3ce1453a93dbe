#!/usr/bin/env python
"""Server time of the inbox and the ticket list API over 200,000 conversations
and 1,000,000 messages (the issue's target on PostgreSQL: p95 <= 100 ms each).

    .venv/bin/python bench/inbox.py                      # PostgreSQL, carebase_bench
    .venv/bin/python bench/inbox.py --database-url sqlite:///var/bench.sqlite3
    .venv/bin/python bench/inbox.py --tickets 20000      # a quick look

The data goes into its own database (created when missing, never the one
`make run` uses) and is generated once: a second run measures straight away.
It is bulk-inserted, not played through the actions, to be ready in minutes;
the search documents are built with the same core.search.terms() the actions
use. Each measurement is one request through Django's full stack (middleware,
session, view, template or JSON) in this process, 50 times after 3 warm-ups;
it prints p50 and p95 in milliseconds and the SQL queries of one request.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REQUESTS = 50
WARM_UP = 3
MESSAGES_PER_TICKET = 5
DAYS = 730
# Share of conversations in each status: most of two years' work is done.
STATUSES = [("new", 2), ("open", 5), ("pending", 3), ("on_hold", 2), ("solved", 8), ("closed", 80)]
# Beside the demo's few dozen texts, each message carries words drawn from a
# Zipf distribution over a vocabulary of real Polish word forms, so that words
# are as rare or common in the index as they are in real mail.
VOCABULARY = 20_000
EXTRA_WORDS = 8
SEARCHES = ["połączenia", "nagrania rozmów", "widżetu", "eksport raportu"]
# Ranks of vocabulary words searched for too: a common, a middling, a rare one.
SEARCH_RANKS = [5, 300, 8000]


def vocabulary(rng: random.Random) -> list[str]:
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    forms = DefaultDictionaryFactory().get_dictionary("pl")
    candidates = [word for word in forms if word.islower() and word.isalpha() and len(word) > 4]
    return rng.sample(candidates, VOCABULARY)


def prepare_database(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme.startswith("postgres"):
        import psycopg
        from psycopg import sql

        name = parsed.path.lstrip("/")
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if found.fetchone() is None:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    os.environ["DATABASE_URL"] = url


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebase.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def people() -> dict[str, Any]:
    from carebase.accounts.actions import do_create_api_token, do_create_user
    from carebase.accounts.models import Team, User
    from carebase.core.roles import Role

    support = Team.objects.get(slug="support")
    success = Team.objects.get(slug="success")
    head = User.objects.filter(username="bench.head").first()
    if head is None:
        head = do_create_user("bench.head", roles=[Role.HEAD_OF_SUPPORT], email="head@bench.test")
        support.members.add(head)
    agents = []
    for number in range(20):
        agent = User.objects.filter(username=f"bench.agent{number}").first()
        if agent is None:
            agent = do_create_user(
                f"bench.agent{number}", roles=[Role.SUPPORT_AGENT], email=f"a{number}@bench.test"
            )
            (support if number < 15 else success).members.add(agent)
        agents.append(agent)
    _row, token = do_create_api_token(head, name="bench", actor=head)
    return {"head": head, "agents": agents, "support": support, "success": success, "token": token}


def corpus() -> tuple[list[tuple[str, str, str]], list[str]]:
    from carebase.tickets.demo import AGENT_REPLIES, CUSTOMER_FOLLOW_UPS
    from carebase.tickets.demo import REQUESTS as DEMO

    requests = [item for items in DEMO.values() for item in items]
    replies = [text for texts in AGENT_REPLIES.values() for text in texts]
    replies += [text for texts in CUSTOMER_FOLLOW_UPS.values() for text in texts]
    return requests, replies


def generate(count: int, cast: dict[str, Any], rng: random.Random, words: list[str]) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from carebase.core import search
    from carebase.core.models import SearchDocument
    from carebase.crm.models import Contact, Organization
    from carebase.tickets.models import PRIORITY_RANK, Message, Tag, Ticket, urgency_at

    started = time.monotonic()
    requests, replies = corpus()
    organizations = Organization.objects.bulk_create(
        [
            Organization(name=f"Bench client {number:05d}", name_key=f"bench client {number:05d}")
            for number in range(2000)
        ]
    )
    contacts = Contact.objects.bulk_create(
        [
            Contact(
                name=f"Kontakt {number:05d}",
                name_key=f"kontakt {number:05d}",
                organization=rng.choice(organizations),
            )
            for number in range(20000)
        ]
    )
    vip, _ = Tag.objects.get_or_create(name="vip")
    billing, _ = Tag.objects.get_or_create(name="billing")
    terms_of = {text: search.terms(text) for text in {*replies, *(r[2] for r in requests)}}
    terms_of.update({subject: search.terms(subject) for _kind, subject, _body in requests})
    statuses = [status for status, weight in STATUSES for _ in range(weight)]
    priorities = ["urgent"] + ["high"] * 3 + ["normal"] * 10 + ["low"] * 3
    channels = ["email"] * 8 + ["chat"] * 4 + ["phone"] * 4 + ["portal", "telegram", "api"]
    weights = list(itertools.accumulate(1 / rank for rank in range(1, len(words) + 1)))
    now = timezone.now()
    agents = cast["agents"]
    batch = 5000
    next_id = (Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for start in range(0, count, batch):
        tickets, messages, documents, tags = [], [], [], []
        for offset in range(min(batch, count - start)):
            pk = next_id + start + offset
            kind, subject, body = rng.choice(requests)
            contact = rng.choice(contacts)
            created = now - timedelta(days=DAYS * (rng.random() ** 1.3), minutes=rng.randrange(600))
            status = rng.choice(statuses)
            priority = rng.choice(priorities)
            agent = rng.choice(agents)
            done = status in ("solved", "closed")
            team = cast["support"] if agents.index(agent) < 15 else cast["success"]
            tickets.append(
                Ticket(
                    pk=pk,
                    subject=subject,
                    requester_id=contact.pk,
                    organization_id=contact.organization_id,
                    channel=rng.choice(channels),
                    type=kind,
                    status=status,
                    priority=priority,
                    priority_rank=PRIORITY_RANK[priority],
                    # As if no SLA policy applied: arrival plus three days, by priority.
                    urgency_at=urgency_at(priority, None, created, status),
                    team=team,
                    assignee=None if status == "new" else agent,
                    created_at=created,
                    updated_at=created + timedelta(hours=rng.randrange(1, 72)),
                    first_response_at=None if status == "new" else created + timedelta(minutes=30),
                    solved_at=created + timedelta(days=1) if done else None,
                    closed_at=created + timedelta(days=5) if status == "closed" else None,
                )
            )
            texts = [body] + [
                rng.choice(replies) for _ in range(rng.randrange(1, 2 * MESSAGES_PER_TICKET - 1))
            ]
            found = set(terms_of[subject]) | search.terms(contact.name)
            for position, template in enumerate(texts):
                extra = rng.choices(words, cum_weights=weights, k=EXTRA_WORDS)
                text = f"{template} {' '.join(extra)}"
                from_customer = position % 2 == 0
                messages.append(
                    Message(
                        ticket_id=pk,
                        kind="note" if not from_customer and rng.random() < 0.15 else "reply",
                        author_contact_id=contact.pk if from_customer else None,
                        author_user_id=None if from_customer else agent.pk,
                        from_customer=from_customer,
                        channel="email",
                        body_text=text,
                        body_html=f"<p>{text}</p>",
                        created_at=created + timedelta(minutes=40 * position),
                    )
                )
                found |= terms_of[template]
                for word in extra:
                    found.update(search.word_forms(word))
            documents.append(
                SearchDocument(kind="ticket", object_id=pk, terms=search.join_terms(found))
            )
            if rng.random() < 0.05:
                tags.append(Ticket.tags.through(ticket_id=pk, tag_id=vip.pk))
            if rng.random() < 0.1:
                tags.append(Ticket.tags.through(ticket_id=pk, tag_id=billing.pk))
        with transaction.atomic():
            Ticket.objects.bulk_create(tickets)
            Message.objects.bulk_create(messages, batch_size=5000)
            SearchDocument.objects.bulk_create(documents, batch_size=2000)
            Ticket.tags.through.objects.bulk_create(tags)
        done_count = start + len(tickets)
        print(f"  {done_count:>7} conversations ({time.monotonic() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('tickets_ticket', 'id'), %s)",
                [next_id + count],
            )
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    print(f"generated in {time.monotonic() - started:.0f} s")


def measure(label: str, call: Any) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    gc.collect()  # start each series from the same heap, not the last one's garbage
    for _ in range(WARM_UP):
        response = call(0)
        assert response.status_code == 200, (label, response.status_code, response.content[:500])
    timings = []
    for number in range(REQUESTS):
        started = time.perf_counter()
        response = call(number)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (label, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        call(0)
    p50 = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[18]
    print(f"{label:<34} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   {len(captured):>2} queries")
    return p50, p95, len(captured)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/carebase_bench"
    )
    parser.add_argument("--tickets", type=int, default=200_000)
    arguments = parser.parse_args()
    prepare_database(arguments.database_url)
    setup_django()
    from django.db import connection
    from django.test import Client

    from carebase.tickets.models import Message, Ticket
    from carebase.tickets.saved_views import do_save_view

    rng = random.Random(42)
    words = vocabulary(rng)
    searches = SEARCHES + [words[rank - 1] for rank in SEARCH_RANKS]
    cast = people()
    have = Ticket.objects.count()
    if have < arguments.tickets:
        print(f"generating {arguments.tickets - have} conversations into {connection.vendor}")
        generate(arguments.tickets - have, cast, rng, words)
    tickets = Ticket.objects.count()
    messages = Message.objects.count()
    print(f"{connection.vendor}: {tickets} conversations, {messages} messages")

    # As the server does at start: the dictionaries loaded and frozen out of
    # the garbage collector's reach.
    from carebase.core.search import load_dictionaries

    load_dictionaries()
    head = cast["head"]
    view = do_save_view(
        owner=head,
        name="Urgent billing, support",
        team=cast["support"],
        filters={
            "queue": ["all"],
            "team": [str(cast["support"].pk)],
            "tag": ["billing"],
            "priority": ["urgent"],
        },
    )
    browser = Client()
    browser.force_login(head)
    api = Client(headers={"Authorization": f"Bearer {cast['token']}"})
    deep = api.get("/api/v1/tickets", {"limit": 1}).json()  # noqa: F841 (warms the token)
    ids = list(
        Ticket.objects.order_by("pk").values_list("pk", flat=True)[
            tickets * 3 // 4 : tickets * 3 // 4 + 1
        ]
    )
    from carebase.api.pagination import encode_cursor

    cursor = encode_cursor(ids[0])
    results = {
        "inbox, default queue": measure(
            "inbox, default queue (all open)", lambda n: browser.get("/tickets/")
        ),
        "saved view": measure(
            "inbox, saved view (filtered)", lambda n: browser.get("/tickets/", {"view": view.pk})
        ),
        "search": measure(
            "inbox, search",
            lambda n: browser.get("/tickets/", {"queue": "all", "q": searches[n % len(searches)]}),
        ),
        "saved view counts": measure(
            "inbox, saved views' counts (lazy)", lambda n: browser.get("/tickets/views/counts/")
        ),
        "api first page": measure(
            "API list, first page", lambda n: api.get("/api/v1/tickets", {"limit": 50})
        ),
        "api deep page": measure(
            "API list, deep cursor page",
            lambda n: api.get("/api/v1/tickets", {"limit": 50, "cursor": cursor}),
        ),
    }
    for query in searches:
        measure(
            f"  search “{query}”",
            lambda n, q=query: browser.get("/tickets/", {"queue": "all", "q": q}),
        )
    view.delete()
    slow = [label for label, (_p50, p95, _queries) in results.items() if p95 > 100]
    print("all p95 within 100 ms" if not slow else f"p95 over 100 ms: {', '.join(slow)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
