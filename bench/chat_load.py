#!/usr/bin/env python
"""Live chat under load: 1,000 visitors' sockets spread over two server
processes behind the Redis channel layer, each writing at a chat's pace,
and 50 agents whose live sockets (spread likewise) hear every message.
The issue's target on this machine: delivery to the agent p99 <= 150 ms,
nothing lost.

    .venv/bin/python bench/chat_load.py                                # 1,000 visitors, 60 s
    .venv/bin/python bench/chat_load.py --visitors 100 --seconds 20   # a quick look
    .venv/bin/python bench/chat_load.py --interval 5                  # 200 messages a second
    .venv/bin/python bench/chat_load.py --redis-url 'redis://127.0.0.1:6379/6?socket_timeout=30'

(The last: redis-py 8 reads with a 5 s timeout by default, which the
channel layer's blocking 5 s read runs into; a longer one, until the
settings give the layer none.) --app names another ASGI application, a
wrapper that measures or tries a change without touching the code.

The data goes into its own database (created when missing; its chats,
conversations, contacts and sessions are deleted first) and its own Redis
database (emptied first). The servers run as bin/serve starts them, with
the database task backend; no worker runs, so the emails the chats queue
stay queued (a chat line queues none: agents hear it live).

Every socket is held by this one asyncio process, so a message's latency
is read off one clock: from the visitor's send to the `chat_message` with
its client_id on the agent's socket. Each visitor first sends the message
that opens its chat (a new conversation, routed to an agent), at a random
moment of the first --ramp seconds, and those are reported apart; once
every chat is open, every visitor writes once per --interval seconds, with
a random start, for --seconds: the steady part, which the target is about.
A message is lost when no agent has heard it --grace seconds after the
last was sent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import resource
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

ORIGIN = "https://shop.example"
# Sockets opened at once while connecting: each costs the server a few queries.
CONNECTING_AT_ONCE = 50
STARTUP_SECONDS = 60
FRAME_SECONDS = 30


# --- The server processes ------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answering(port: int) -> bool:
    """/healthz answers and reaches the database (503 is expected: no worker)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        body = error.read()
    except OSError:
        return False
    return bool(json.loads(body).get("database", {}).get("ok"))


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def cpu_seconds(self) -> float:
        """User and system time of the process so far (from /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_servers(
    count: int, environment: dict[str, str], logs: Path, application: str
) -> list[Server]:
    servers = []
    for index in range(count):
        port = free_port()
        log = logs / f"uvicorn-{index}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [
                    *(str(ROOT / ".venv/bin/uvicorn"), application),
                    *("--host", "127.0.0.1", "--port", str(port)),
                    *("--ws", "websockets-sansio", "--lifespan", "off", "--no-access-log"),
                ],
                cwd=ROOT,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        servers.append(Server("AB"[index] if count <= 2 else str(index), port, process, log))
    deadline = time.monotonic() + STARTUP_SECONDS
    for server in servers:
        while not answering(server.port):
            if server.process.poll() is not None or time.monotonic() > deadline:
                stop_servers(servers)
                raise SystemExit(f"uvicorn did not start:\n{server.log.read_text()}")
            time.sleep(0.1)
    return servers


def stop_servers(servers: list[Server]) -> None:
    for server in servers:
        if server.process.poll() is None:
            server.process.send_signal(signal.SIGTERM)
    for server in servers:
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


# --- The data ------------------------------------------------------------------


def prepare_data(visitors: int, agents: int) -> tuple[str, list[str]]:
    """A clean slate, one widget and the agents, available, with room for
    every chat: (the widget's key, the agents' session keys)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from carebase.accounts.actions import do_create_user
    from carebase.accounts.models import User
    from carebase.chat.models import AgentState, AgentStatus, Chat, Visitor, Widget
    from carebase.core.models import LiveEvent, SearchDocument
    from carebase.core.roles import Role
    from carebase.crm.models import Contact
    from carebase.tickets.models import Ticket

    tables = [Chat, Visitor, Widget, AgentStatus, Ticket, Contact, SearchDocument, LiveEvent]
    tables += [Session, DBTaskResult]
    with connection.cursor() as cursor:
        names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tables)
        cursor.execute(f"TRUNCATE {names} CASCADE")
    widget = Widget.objects.create(name="Bench shop", allowed_origins=[ORIGIN])
    engine = import_module(settings.SESSION_ENGINE)
    sessions = []
    for number in range(agents):
        username = f"bench.chat{number:03d}"
        user = User.objects.filter(username=username).first() or do_create_user(
            username, roles=[Role.SUPPORT_AGENT], first_name=f"Agent {number}"
        )
        # Directly, not through do_set_agent_state (at most 20 at once), and
        # twice the even share: two processes route at once, and each counts
        # the agents' chats before it locks their rows.
        AgentStatus.objects.create(
            user=user,
            state=AgentState.AVAILABLE,
            max_chats=min(math.ceil(visitors / agents) * 2, 32_000),
            changed_at=timezone.now(),
        )
        # A signed-in browser's session, as django.contrib.auth.login writes it.
        session = engine.SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    return widget.key, sessions


def routing_report() -> str:
    """The chats by status (a waiting one found no agent) and the tasks
    left queued for a worker."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from carebase.chat.models import Chat

    by_status = dict(Chat.objects.values_list("status").annotate(n=Count("id")))
    chats = ", ".join(f"{n} {status}" for status, n in sorted(by_status.items())) or "none"
    return f"chats: {chats}; tasks queued: {DBTaskResult.objects.count()}"


# --- The clients ---------------------------------------------------------------


@dataclass
class Sent:
    visitor: int
    first: bool
    at: float
    acknowledged: float | None = None
    delivered: float | None = None
    agent_server: str = ""


@dataclass
class Tally:
    sent: dict[str, Sent] = field(default_factory=dict)
    not_sent: int = 0  # the visitor's socket was closed
    duplicates: int = 0
    strangers: int = 0  # chat_message frames of client ids never sent
    agent_frames: Counter[str] = field(default_factory=Counter)
    visitor_frames: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    closed: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)


async def agent_listens(socket: Any, server: Server, tally: Tally) -> None:
    from websockets.exceptions import ConnectionClosed

    try:
        async for raw in socket:
            now = time.perf_counter()
            frame = json.loads(raw)
            event = frame.get("event", "?")
            tally.agent_frames[event] += 1
            if event != "chat_message":
                continue
            message = frame["payload"]["message"]
            if message.get("from") != "visitor":
                continue
            sent = tally.sent.get(message.get("client_id", ""))
            if sent is None:
                tally.strangers += 1
            elif sent.delivered is None:
                sent.delivered, sent.agent_server = now, server.name
            else:
                tally.duplicates += 1
    except ConnectionClosed as closed:
        tally.closed[f"agent {closed.rcvd.code if closed.rcvd else 'without close frame'}"] += 1


async def visitor_listens(socket: Any, tally: Tally) -> None:
    from websockets.exceptions import ConnectionClosed

    try:
        async for raw in socket:
            now = time.perf_counter()
            frame = json.loads(raw)
            kind = frame.get("type", "?")
            tally.visitor_frames[kind] += 1
            if kind == "error":
                tally.errors[frame.get("code", "?")] += 1
            elif kind == "message" and frame.get("from") == "visitor":
                sent = tally.sent.get(frame.get("client_id", ""))
                if sent is not None and sent.acknowledged is None:
                    sent.acknowledged = now
    except ConnectionClosed as closed:
        tally.closed[f"visitor {closed.rcvd.code if closed.rcvd else 'without close frame'}"] += 1


async def open_socket(url: str, tally: Tally, who: str, **options: Any) -> Any:
    """A connected socket past its first frame (welcome, hello), or None."""
    from websockets.asyncio.client import connect

    try:
        socket = await connect(url, open_timeout=FRAME_SECONDS, max_queue=None, **options)
        first = json.loads(await asyncio.wait_for(socket.recv(), FRAME_SECONDS))
    except Exception as error:
        tally.refused[f"{who}: {type(error).__name__} {error}"[:120]] += 1
        return None
    if first.get("type", first.get("event")) not in ("welcome", "hello"):
        tally.refused[f"{who}: first frame {first}"[:120]] += 1
        await socket.close()
        return None
    return socket


def machine_jiffies() -> tuple[int, int]:
    """(busy, all) clock ticks of every core since boot, from /proc/stat."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle and iowait
    return sum(ticks) - idle, sum(ticks)


class Phase:
    """What one part of the run cost: the CPU of each server process, of
    this client and of the whole machine, and how late this process's event
    loop woke up (when it is late, the latencies measured here are too long
    by as much)."""

    def __init__(self, label: str, servers: list[Server]) -> None:
        self.label, self.servers = label, servers
        self.lags: list[float] = []

    async def _watch(self) -> None:
        while True:
            asked = time.perf_counter()
            await asyncio.sleep(0.05)
            self.lags.append(time.perf_counter() - asked - 0.05)

    def __enter__(self) -> Phase:
        self.started = time.perf_counter()
        self.servers_before = [server.cpu_seconds() for server in self.servers]
        self.client_before = sum(os.times()[:2])
        self.machine_before = machine_jiffies()
        self.watcher = asyncio.get_running_loop().create_task(self._watch())
        return self

    def __exit__(self, *_exc: object) -> None:
        self.watcher.cancel()
        self.seconds = time.perf_counter() - self.started
        self.server_cpu = [
            server.cpu_seconds() - before
            for server, before in zip(self.servers, self.servers_before, strict=True)
        ]
        self.client_cpu = sum(os.times()[:2]) - self.client_before
        busy, every = machine_jiffies()
        self.machine_busy = (busy - self.machine_before[0]) / max(1, every - self.machine_before[1])

    def line(self) -> str:
        shares = ", ".join(
            f"server {server.name} {100 * used / self.seconds:.0f}%"
            for server, used in zip(self.servers, self.server_cpu, strict=True)
        )
        lags = sorted(self.lags) or [0.0]
        return (
            f"{self.label} ({self.seconds:.0f} s): CPU of one core: {shares},"
            f" this client {100 * self.client_cpu / self.seconds:.0f}%;"
            f" the machine's {os.cpu_count()} cores {100 * self.machine_busy:.0f}% busy;"
            f" client loop late p99 {1000 * percentile(lags, 0.99):.0f} ms,"
            f" max {1000 * lags[-1]:.0f} ms"
        )


async def send(socket: Any, tally: Tally, visitor: int, client_id: str, first: bool) -> bool:
    """Send one message; False when the visitor's socket has been closed."""
    from websockets.exceptions import ConnectionClosed

    text = f"Dzień dobry, wiadomość {client_id}: koszyk nie przelicza rabatu."
    tally.sent[client_id] = Sent(visitor, first, time.perf_counter())
    try:
        await socket.send(json.dumps({"type": "message", "client_id": client_id, "text": text}))
    except ConnectionClosed:
        del tally.sent[client_id]
        tally.not_sent += 1
        return False
    return True


async def wait_delivered(tally: Tally, client_ids: list[str], seconds: float) -> None:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if all(tally.sent[c].delivered is not None for c in client_ids):
            return
        await asyncio.sleep(0.1)


async def drive(
    arguments: argparse.Namespace, servers: list[Server], key: str, sessions: list[str]
):
    from django.conf import settings

    tally = Tally()
    rng = random.Random(20261201)
    listeners: list[asyncio.Task[None]] = []

    started = time.perf_counter()
    agents = []
    for number, session in enumerate(sessions):
        server = servers[number % len(servers)]
        socket = await open_socket(
            f"{server.url}/ws/live/",
            tally,
            "agent",
            origin=f"http://127.0.0.1:{server.port}",
            additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
        )
        if socket is not None:
            agents.append(socket)
            listeners.append(asyncio.create_task(agent_listens(socket, server, tally)))

    gate = asyncio.Semaphore(CONNECTING_AT_ONCE)

    async def visit(number: int) -> Any:
        server = servers[number % len(servers)]
        async with gate:
            return await open_socket(
                f"{server.url}/ws/chat/{key}/?lang=pl", tally, "visitor", origin=ORIGIN
            )

    opened = await asyncio.gather(*(visit(number) for number in range(arguments.visitors)))
    visitors = [(number, socket) for number, socket in enumerate(opened) if socket is not None]
    for _number, socket in visitors:
        listeners.append(asyncio.create_task(visitor_listens(socket, tally)))
    connected_in = time.perf_counter() - started
    print(
        f"connections opened: {len(visitors)} of {arguments.visitors} visitors and {len(agents)}"
        f" of {len(sessions)} agents in {connected_in:.1f} s"
        f" ({sum(tally.refused.values())} refused)",
        flush=True,
    )
    for reason, count in tally.refused.most_common(5):
        print(f"    refused: {count} x {reason}")

    rate = len(visitors) / arguments.interval
    print(f"pace: one message per visitor every {arguments.interval:g} s = {rate:.1f} messages/s")

    # The opening messages, spread over --ramp seconds (visitors arrive, they
    # do not all start in one instant); each starts a chat and routes it.
    async def open_chat(number: int, socket: Any) -> list[str]:
        await asyncio.sleep(rng.uniform(0, arguments.ramp))
        client_id = f"v{number}-0"
        return [client_id] if await send(socket, tally, number, client_id, first=True) else []

    with Phase("opening the chats", servers) as opening:
        sent = await asyncio.gather(*(open_chat(number, socket) for number, socket in visitors))
        firsts = [client_id for ids in sent for client_id in ids]
        # The steady part starts once every chat is open (or given up on),
        # so that it measures a thousand chats going on, not their opening.
        await wait_delivered(tally, firsts, max(arguments.grace, 120))

    # The steady part: every visitor once per interval, from a random start.
    async def chat(number: int, socket: Any, start: float) -> list[str]:
        ids: list[str] = []
        at = start + rng.uniform(0, arguments.interval)
        while at < start + arguments.seconds:
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            client_id = f"v{number}-{len(ids) + 1}"
            if await send(socket, tally, number, client_id, first=False):
                ids.append(client_id)
            at += arguments.interval
        return ids

    with Phase("the steady part", servers) as steady:
        start = time.perf_counter()
        sent = await asyncio.gather(*(chat(n, socket, start) for n, socket in visitors))
        later = [client_id for ids in sent for client_id in ids]
        sending_seconds = time.perf_counter() - start
        await wait_delivered(tally, later, arguments.grace)

    # What the servers logged while measuring, apart from what closing logs.
    measured_logs = [server.log.stat().st_size for server in servers]
    await asyncio.gather(*(s.close() for s in agents + [s for _n, s in visitors]))
    await asyncio.sleep(1)
    for listener in listeners:
        listener.cancel()
    return {
        "tally": tally,
        "firsts": firsts,
        "later": later,
        "sending_seconds": sending_seconds,
        "phases": [opening, steady],
        "measured_logs": measured_logs,
    }


# --- The report ----------------------------------------------------------------


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def latency_line(label: str, tally: Tally, client_ids: list[str]) -> float | None:
    """Print the group's figures; its p99 in ms (None: nothing delivered)."""
    sent = [tally.sent[c] for c in client_ids]
    delivered = sorted((s.delivered - s.at) * 1000 for s in sent if s.delivered is not None)
    lost = len(sent) - len(delivered)
    line = f"{label}: sent {len(sent)}, delivered {len(delivered)}, lost {lost}"
    if not delivered:
        print(line)
        return None
    figures = ", ".join(
        f"{name} {percentile(delivered, fraction):.0f}"
        for name, fraction in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))
    )
    print(f"{line}\n    latency to the agent, ms: {figures}, max {delivered[-1]:.0f}")
    acknowledged = sorted((s.acknowledged - s.at) * 1000 for s in sent if s.acknowledged)
    if acknowledged:
        print(
            f"    acknowledged to the visitor, ms: p50 {percentile(acknowledged, 0.5):.0f},"
            f" p99 {percentile(acknowledged, 0.99):.0f} ({len(sent) - len(acknowledged)} never)"
        )
    return percentile(delivered, 0.99)


def report(result: dict[str, Any], servers: list[Server]) -> bool:
    tally: Tally = result["tally"]
    later = result["later"]
    print(
        f"messages sent: {len(tally.sent)} ({len(later)} in the steady part,"
        f" {len(later) / result['sending_seconds']:.1f}/s), not sent (socket closed):"
        f" {tally.not_sent}"
    )
    delivered = sum(s.delivered is not None for s in tally.sent.values())
    print(f"delivered: {delivered}, lost: {len(tally.sent) - delivered}")
    latency_line("first messages (open the chat)", tally, result["firsts"])
    p99 = latency_line("later messages", tally, later)
    crossing = [s for c in later if (s := tally.sent[c]).delivered and s.agent_server]
    if crossing:
        names = [server.name for server in servers]
        across = sum(names[s.visitor % len(names)] != s.agent_server for s in crossing)
        print(f"    {100 * across / len(crossing):.0f}% crossed from one server process to another")
    print(f"duplicates: {tally.duplicates}, unknown client ids: {tally.strangers}")
    print(f"errors to visitors: {dict(tally.errors) or 'none'}")
    print(f"sockets closed by the servers: {dict(tally.closed) or 'none'}")
    dropped = Counter[str]()
    failures: dict[str, Counter[str]] = {"while measuring": Counter(), "while closing": Counter()}
    for server, measured in zip(servers, result["measured_logs"], strict=True):
        logged = server.log.read_bytes()
        for part, text in (
            ("while measuring", logged[:measured]),
            ("while closing", logged[measured:]),
        ):
            for line in text.decode(errors="replace").splitlines():
                if "channels over capacity in group" in line:
                    dropped[line.rsplit(" in group ", 1)[1].split(".")[0]] += 1
                elif raised := re.match(r"([a-z_][\w.]*(Error|Exception)): ", line):
                    failures[part][raised[1]] += 1  # the last line of a traceback
    print(f"group sends that found a process's inbox full, by group: {dict(dropped) or 'none'}")
    for part, counted in failures.items():
        print(f"exceptions in the server logs {part}: {dict(counted) or 'none'}")
    print(f"frames to agents: {dict(tally.agent_frames.most_common())}")
    print(f"frames to visitors: {dict(tally.visitor_frames.most_common())}")
    for phase in result["phases"]:
        print(phase.line())
    print(routing_report())
    met = p99 is not None and p99 <= 150 and len(tally.sent) == delivered and tally.not_sent == 0
    print(f"target (later messages p99 <= 150 ms, none lost): {'met' if met else 'NOT met'}")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/carebase_bench_chat"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--visitors", type=int, default=1000)
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--servers", type=int, default=2, help="server processes")
    parser.add_argument("--seconds", type=float, default=60, help="length of the steady part")
    parser.add_argument(
        "--interval", type=float, default=20, help="seconds between one visitor's messages"
    )
    parser.add_argument(
        "--grace", type=float, default=10, help="seconds a message may take before it is lost"
    )
    parser.add_argument(
        "--ramp", type=float, default=60, help="seconds over which the visitors open their chats"
    )
    parser.add_argument(
        "--app",
        default="carebase.asgi:application",
        help="the ASGI application (another: a wrapper that measures, on PYTHONPATH)",
    )
    arguments = parser.parse_args()

    # Two sockets a visitor (this side and the server's), and the servers'
    # connections to PostgreSQL and Redis: more than the usual 1,024 files.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4 * (arguments.visitors + arguments.agents) + 1024
    if hard != resource.RLIM_INFINITY and hard < wanted:
        raise SystemExit(f"the open-files limit is {hard}; {wanted} are needed (ulimit -Hn)")
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))  # the servers inherit it

    from inbox import prepare_database

    prepare_database(arguments.database_url)
    scratch = Path(tempfile.mkdtemp(prefix="carebase-chat-load-"))
    # One key for every process: the agents' sessions are signed here.
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["VAR_DIR"] = str(scratch / "var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebase.settings")
    os.environ.pop("REDIS_URL", None)  # this process needs neither cache nor layer
    import django

    django.setup()
    import redis
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    redis.Redis.from_url(arguments.redis_url).flushdb()
    key, sessions = prepare_data(arguments.visitors, arguments.agents)

    environment = {
        **os.environ,
        "REDIS_URL": arguments.redis_url,
        "TASK_BACKEND": "database",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # INFO: channels_redis says so when a group send found a process's
        # inbox full (over its capacity) and dropped the message.
        "LOG_LEVEL": "INFO",
    }
    servers = start_servers(arguments.servers, environment, scratch, arguments.app)
    print(
        f"{arguments.visitors} visitors, {arguments.agents} agents,"
        f" {len(servers)} server processes (ports {', '.join(str(s.port) for s in servers)}),"
        f" Redis {arguments.redis_url}; server logs in {scratch}",
        flush=True,
    )
    try:
        import uvloop  # the servers' loop too (uvicorn takes it when installed)

        run: Any = uvloop.run
    except ImportError:
        run = asyncio.run
    try:
        result = run(drive(arguments, servers, key, sessions))
    finally:
        stop_servers(servers)
    met = report(result, servers)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
