#!/usr/bin/env python
"""One SLA sweep over 100,000 open conversations on PostgreSQL. The issue's
target: at most 2 seconds.

    .venv/bin/python bench/sla_sweep.py                     # 100,000, carebase_bench_sla
    .venv/bin/python bench/sla_sweep.py --tickets 20000     # a quick look

Each open conversation has a first response and a resolution clock (200,000
clocks), on business hours. At the sweep's moment 1 % of the clocks reach
their warning and 0.5 % their deadline; the policy notifies the assignee at
the warning and the assignee and the heads at the breach. Prints the time of
the sweep that finds them, of a second sweep right after (nothing left to
do: idempotent), and of a quiet sweep a minute later.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

BATCH = 5000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/carebase_bench_sla"
    )
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument(
        "--raise-priority",
        action="store_true",
        help="the policy also raises the priority at the breach: a change to each breached "
        "conversation (its event, its clocks re-targeted), not only notices",
    )
    arguments = parser.parse_args()
    from inbox import prepare_database, setup_django

    prepare_database(arguments.database_url)
    setup_django()
    from django.db import connection
    from django.utils import timezone

    from carebase.accounts.actions import do_create_user
    from carebase.accounts.models import Team, User
    from carebase.core.roles import Role
    from carebase.crm.models import Contact
    from carebase.tickets.models import PRIORITY_RANK, Priority, Status, Ticket, TicketEvent
    from carebase.workflow.models import ClockState, Notice, SlaClock, SlaPolicy
    from carebase.workflow.policies import PolicyData, do_save_policy
    from carebase.workflow.sweep import sweep

    rng = random.Random(7)
    print("preparing", arguments.tickets, "open conversations ...", flush=True)
    with connection.cursor() as cursor:
        for table in (Notice, SlaClock, TicketEvent, SlaPolicy):
            cursor.execute(f'TRUNCATE "{table._meta.db_table}" CASCADE')
        cursor.execute(f'TRUNCATE "{Ticket._meta.db_table}" CASCADE')
    team, _made = Team.objects.get_or_create(
        slug="bench-support", defaults={"name": "Bench support", "kind": "support"}
    )
    agents = []
    for number in range(20):
        agent = User.objects.filter(username=f"sla.agent{number}").first() or do_create_user(
            f"sla.agent{number}", roles=[Role.SUPPORT_AGENT], email=f"sla{number}@bench.test"
        )
        agents.append(agent)
    if not User.objects.filter(username="sla.head").exists():
        do_create_user("sla.head", roles=[Role.HEAD_OF_SUPPORT], email="head@bench.test")
    team.lead = agents[0]
    team.save(update_fields=["lead"])
    requester = Contact.objects.filter(name="Bench requester").first() or Contact.objects.create(
        name="Bench requester"
    )
    policy = do_save_policy(
        PolicyData(
            name="Bench standard",
            targets={
                ("first_response", "normal"): 240,
                ("resolution", "normal"): 2400,
                ("first_response", "high"): 120,
                ("resolution", "high"): 1200,
            },
            escalations=[
                ("warning", "", "notify_assignee"),
                ("breach", "", "notify_assignee"),
                ("breach", "", "notify_head"),
                *([("breach", "", "raise_priority")] if arguments.raise_priority else []),
            ],
        ),
        actor=None,
    )
    now = timezone.now()
    created = 0
    while created < arguments.tickets:
        size = min(BATCH, arguments.tickets - created)
        tickets = Ticket.objects.bulk_create(
            Ticket(
                subject=f"Bench {created + index}",
                requester=requester,
                channel="email",
                status=Status.OPEN,
                priority=Priority.NORMAL,
                priority_rank=PRIORITY_RANK[Priority.NORMAL],
                team=team,
                assignee=agents[(created + index) % len(agents)],
                created_at=now - timedelta(hours=1),
                updated_at=now,
                urgency_at=now,
            )
            for index in range(size)
        )
        clocks = []
        for ticket in tickets:
            for metric, minutes in (("first_response", 240), ("resolution", 2400)):
                roll = rng.random()
                if roll < 0.005:  # its deadline passed in the last minute
                    due, warn = now - timedelta(seconds=30), now - timedelta(minutes=31)
                    warned = now - timedelta(minutes=30)
                elif roll < 0.015:  # its warning came in the last minute
                    due, warn, warned = (
                        now + timedelta(minutes=29),
                        now - timedelta(seconds=30),
                        None,
                    )
                else:
                    due = now + timedelta(minutes=rng.randint(40, minutes))
                    warn, warned = due - timedelta(minutes=30), None
                clocks.append(
                    SlaClock(
                        ticket=ticket,
                        policy=policy,
                        policy_name=policy.name,
                        metric=metric,
                        priority=Priority.NORMAL,
                        target_minutes=minutes,
                        business_hours=True,
                        warning_minutes=30,
                        state=ClockState.RUNNING,
                        started_at=now - timedelta(hours=1),
                        resumed_at=now - timedelta(hours=1),
                        due_at=due,
                        warn_at=warn,
                        warned_at=warned,
                    )
                )
        SlaClock.objects.bulk_create(clocks)
        created += size
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{Ticket.objects.count()} open conversations, {SlaClock.objects.count()} clocks",
        flush=True,
    )

    started = time.perf_counter()
    found = sweep(now)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = sweep(now)
    second = time.perf_counter() - started
    started = time.perf_counter()
    quiet = sweep(now + timedelta(seconds=20))
    third = time.perf_counter() - started
    print(
        f"sweep: {first:.3f} s  (warned {found.warned}, breached {found.breached}, "
        f"notices {found.notices}, escalations {found.escalations})"
    )
    print(f"again: {second:.3f} s  (warned {again.warned}, breached {again.breached})")
    print(f"quiet: {third:.3f} s  (warned {quiet.warned}, breached {quiet.breached})")
    print(f"target: one sweep <= 2 s: {'met' if first <= 2 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
