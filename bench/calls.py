#!/usr/bin/env python
"""Call import throughput: an Asterisk Master.csv of 1,000,000 records
(21 columns: inbound calls from 50,000 clients' numbers, answered, missed
in a queue or abandoned, some transferred in two legs; outbound and
internal calls) imported with
`manage.py import_calls` into PostgreSQL. The issue's target: at least
20,000 records a second.

    .venv/bin/python bench/calls.py                    # 1,000,000 records, carebase_bench_calls
    .venv/bin/python bench/calls.py --records 100000   # a quick look

The file is written to var/bench/ once and kept; the database's calls are
deleted first. Prints records per second for a first import and for a
second one of the same file (which must change nothing).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

AGENTS = [str(number) for number in range(100, 160)]
QUEUES = ["support", "sales", "billing"]
CLIENTS = 50_000


def quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def leg(
    *,
    src: str,
    dst: str,
    context: str,
    clid: str,
    channel: str,
    dstchannel: str,
    app: str,
    data: str,
    start: datetime,
    answer: datetime | None,
    end: datetime,
    disposition: str,
    uniqueid: str,
    linkedid: str,
    sequence: int,
) -> str:
    stamp = "%Y-%m-%d %H:%M:%S"
    fields = [
        quote(""),
        quote(src),
        quote(dst),
        quote(context),
        quote(clid),
        quote(channel),
        quote(dstchannel),
        quote(app),
        quote(data),
        quote(start.strftime(stamp)),
        quote(answer.strftime(stamp)) if answer else "",
        quote(end.strftime(stamp)),
        str(int((end - start).total_seconds())),
        str(int((end - answer).total_seconds())) if answer else "0",
        quote(disposition),
        quote("DOCUMENTATION"),
        quote(uniqueid),
        quote(""),
        quote(""),
        quote(linkedid),
        str(sequence),
    ]
    return ",".join(fields) + "\n"


def write_file(path: Path, records: int) -> None:
    rng = random.Random(20261201)
    # The clients who call: a support line hears the same ones again.
    callers = [f"48{rng.randrange(500_000_000, 899_999_999)}" for _ in range(CLIENTS)]
    at = datetime(2026, 9, 1, 8, 0, 0)
    sequence = 0
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        while written < records:
            at += timedelta(seconds=rng.randrange(1, 12))
            sequence += 1
            linkedid = f"{int(at.timestamp())}.{sequence}"
            caller = callers[rng.randrange(len(callers))]
            agent = rng.choice(AGENTS)
            channel = f"PJSIP/trunk-{sequence:08x}"
            kind = rng.random()
            common = {"linkedid": linkedid, "uniqueid": linkedid, "sequence": sequence}
            if kind < 0.15:  # outbound
                answer = at + timedelta(seconds=rng.randrange(3, 20))
                out.write(
                    leg(
                        src=agent,
                        dst=caller,
                        context="from-internal",
                        clid=f'"Agent {agent}" <{agent}>',
                        channel=f"PJSIP/{agent}-{sequence:08x}",
                        dstchannel=channel,
                        app="Dial",
                        data=f"PJSIP/trunk/{caller},60",
                        start=at,
                        answer=answer,
                        end=answer + timedelta(seconds=rng.randrange(20, 600)),
                        disposition="ANSWERED",
                        **common,
                    )
                )
                written += 1
                continue
            if kind < 0.20:  # internal
                other = rng.choice(AGENTS)
                answer = at + timedelta(seconds=rng.randrange(2, 10))
                out.write(
                    leg(
                        src=agent,
                        dst=other,
                        context="from-internal",
                        clid=f'"Agent {agent}" <{agent}>',
                        channel=f"PJSIP/{agent}-{sequence:08x}",
                        dstchannel=f"PJSIP/{other}-{sequence:08x}",
                        app="Dial",
                        data=f"PJSIP/{other},30",
                        start=at,
                        answer=answer,
                        end=answer + timedelta(seconds=rng.randrange(10, 120)),
                        disposition="ANSWERED",
                        **common,
                    )
                )
                written += 1
                continue
            queue = rng.choice(QUEUES)
            clid = f'"Klient {caller[-4:]}" <{caller}>'
            if kind < 0.40:  # missed: nobody free, or abandoned early
                out.write(
                    leg(
                        src=caller,
                        dst="s",
                        context="from-external",
                        clid=clid,
                        channel=channel,
                        dstchannel="",
                        app="Queue",
                        data=f"{queue},t,,,45",
                        start=at,
                        answer=None,
                        end=at + timedelta(seconds=rng.randrange(1, 90)),
                        disposition="NO ANSWER",
                        **common,
                    )
                )
                written += 1
                continue
            answer = at + timedelta(seconds=rng.randrange(3, 60))
            end = answer + timedelta(seconds=rng.randrange(30, 900))
            out.write(
                leg(
                    src=caller,
                    dst="s",
                    context="from-external",
                    clid=clid,
                    channel=channel,
                    dstchannel=f"PJSIP/{agent}-{sequence:08x}",
                    app="Queue",
                    data=f"{queue},t,,,45",
                    start=at,
                    answer=answer,
                    end=end,
                    disposition="ANSWERED",
                    **common,
                )
            )
            written += 1
            if kind > 0.92:  # transferred: a second leg of the same call
                other = rng.choice(AGENTS)
                answer2 = end + timedelta(seconds=rng.randrange(2, 15))
                out.write(
                    leg(
                        src=caller,
                        dst=other,
                        context="from-internal-xfer",
                        clid=clid,
                        channel=f"Local/{other}@from-internal-{sequence:08x}",
                        dstchannel=f"PJSIP/{other}-{sequence + 1:08x}",
                        app="Dial",
                        data=f"PJSIP/{other},30",
                        start=end,
                        answer=answer2,
                        end=answer2 + timedelta(seconds=rng.randrange(30, 600)),
                        disposition="ANSWERED",
                        uniqueid=f"{linkedid}1",
                        linkedid=linkedid,
                        sequence=sequence,
                    )
                )
                written += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/carebase_bench_calls"
    )
    parser.add_argument("--records", type=int, default=1_000_000)
    arguments = parser.parse_args()
    from inbox import prepare_database

    prepare_database(arguments.database_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebase.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.db import connection

    from carebase.accounts.models import User
    from carebase.telephony.models import Call, Extension, Pbx

    path = ROOT / "var" / "bench" / f"Master-{arguments.records}.csv"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"writing {arguments.records} records to {path}...", flush=True)
        write_file(path, arguments.records)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE telephony_ring, telephony_callback, telephony_pbxevent, telephony_call,"
            " telephony_extension CASCADE"
        )
    pbx, _ = Pbx.objects.get_or_create(name="pbx")
    # The agents' extensions are mapped, as on a desk that has been set up.
    for number in AGENTS:
        user, _ = User.objects.get_or_create(
            username=f"agent{number}", defaults={"first_name": "Agent", "last_name": number}
        )
        Extension.objects.create(pbx=pbx, number=number, user=user)
    engine = arguments.database_url.split(":")[0]
    print(f"{path.stat().st_size / 1e6:.0f} MB; importing into {engine}")
    for attempt in ("first import", "again (changes nothing)"):
        out = StringIO()
        started = time.perf_counter()
        call_command(
            "import_calls", str(path), "--format", "asterisk-csv", stdout=out, stderr=StringIO()
        )
        elapsed = time.perf_counter() - started
        rate = arguments.records / elapsed
        print(f"{attempt}: {rate:,.0f} records per second ({elapsed:.1f} s)")
        print("   ", out.getvalue().splitlines()[0])
    print(f"{Call.objects.count()} calls")
    time_report()
    return 0


def time_report(runs: int = 30) -> None:
    """The agent call report over the data, as the head of support opens it
    through the API: the last 30 days of the file, and all of it."""
    import statistics

    from django.db import connection
    from django.db.models import Max, Min
    from django.test import Client

    from carebase.accounts.actions import do_create_api_token
    from carebase.core.roles import Role
    from carebase.telephony.models import Call
    from carebase.testing import make_user

    with connection.cursor() as cursor:
        # As autovacuum does after a bulk load (it is off on this machine):
        # statistics, and the visibility map that index-only scans need.
        cursor.execute("VACUUM ANALYZE telephony_call")
        cursor.execute("VACUUM ANALYZE telephony_ring")
    head = make_user(f"head{time.time_ns()}", Role.HEAD_OF_SUPPORT)
    _token, raw = do_create_api_token(head, name="bench", actor=head)
    client = Client(SERVER_NAME="localhost")
    span = Call.objects.aggregate(first=Min("started_at"), last=Max("started_at"))
    last = span["last"]
    for label, since in (("30 days", last - timedelta(days=30)), ("the whole file", span["first"])):
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(
                "/api/v1/calls/report",
                {"since": since.isoformat(), "until": (last + timedelta(seconds=1)).isoformat()},
                headers={"Authorization": f"Bearer {raw}"},
            )
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"agent call report, {label} ({len(response.json())} agents):"
            f" p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms"
        )


if __name__ == "__main__":
    sys.exit(main())
