"""A visitor whose socket is on one server process reaches an agent whose
page is on another, and the agent's reply, posted to that other process,
reaches the visitor: with REDIS_URL set, the Redis channel layer carries
the live events between processes (the in-memory layer cannot: it serves
one process).

The page and the widget wait a while before the visitor writes, as they
do in real life: longer than the Redis client's read timeout (5 s by
default since redis-py 8), which the channel layer's blocking read of 5 s
must not run into, or every socket that waits is closed by the server.

Two real uvicorn processes serve the test database, so this runs on
PostgreSQL only (their own connections must see the test's committed
rows, which SQLite's in-memory test database cannot show them), and only
where Redis answers: TEST_REDIS_URL, or a local one."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin

from carebase.chat import actions
from carebase.chat.models import AgentState, Chat, ChatStatus, Widget

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
# A Redis database of its own, emptied first: no other run's groups or
# rate-limit counts (keyed by row ids that repeat between runs) in it.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
SITE = "https://shop.example"
STARTUP_SECONDS = 60
FRAME_SECONDS = 10
IDLE_SECONDS = 6


def _redis_or_skip() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.flushdb()
    except redis.RedisError as error:
        pytest.skip(f"needs Redis at {REDIS_URL}: {error}")
    finally:
        client.close()


def _test_database_url() -> str:
    """The test database (test_carebase, or test_carebase_gw0 under xdist)
    as DATABASE_URL, for the server processes."""
    database = connection.settings_dict
    credentials = quote(database["USER"], safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    address = database["HOST"] + (f":{database['PORT']}" if database["PORT"] else "")
    url = f"postgres://{credentials}@{address}/{quote(database['NAME'], safe='')}"
    options = {key: str(value) for key, value in database["OPTIONS"].items()}
    return url + (f"?{urlencode(options)}" if options else "")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answering(port: int) -> bool:
    """/healthz answers, the app reaches the database and has loaded its
    lemma dictionaries (the answer is 503 all the same: no task worker
    runs). Loaded: under load, the first message would wait for them longer
    than a frame may take."""
    request = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        request.request("GET", "/healthz")
        report = json.loads(request.getresponse().read())
        return report["database"]["ok"] is True and report["search"]["dictionaries_loaded"]
    except OSError:
        return False
    finally:
        request.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def two_servers(transactional_db: None, tmp_path: Path) -> Iterator[list[str]]:
    """Two uvicorn processes as bin/serve starts them, on the test database
    and one Redis: their base URLs. They are stopped before the test
    database is flushed, so that no connection of theirs is left to keep
    PostgreSQL from dropping it at the end."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the server processes must see the test's data")
    _redis_or_skip()
    environment = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": REDIS_URL,
        # Sessions and the visitors' tokens are signed: every process signs alike.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        # As bin/serve runs them; the emails the chat queues are not sent.
        "TASK_BACKEND": "database",
        "VAR_DIR": str(tmp_path / "var"),
        "LOG_LEVEL": "WARNING",
    }
    processes: list[tuple[subprocess.Popen[bytes], int, Path]] = []
    try:
        for name in ("a", "b"):
            port = _free_port()
            log = tmp_path / f"uvicorn-{name}.log"
            with log.open("wb") as output:
                process = subprocess.Popen(
                    [
                        *(sys.executable, "-m", "uvicorn", "carebase.asgi:application"),
                        *("--host", "127.0.0.1", "--port", str(port)),
                        *("--ws", "websockets-sansio", "--lifespan", "off", "--no-access-log"),
                    ],
                    cwd=ROOT,
                    env=environment,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            processes.append((process, port, log))
        deadline = time.monotonic() + STARTUP_SECONDS
        for process, port, log in processes:
            while not _answering(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"uvicorn on port {port} did not start:\n{log.read_text()}")
                time.sleep(0.1)
        yield [f"http://127.0.0.1:{port}" for _process, port, _log in processes]
    finally:
        for process, _port, log in processes:
            _stop(process)
            # Shown by pytest when the test fails.
            print(f"--- {log.name}\n{log.read_text()}")


async def _frame_until(stream: Any, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """The first frame that is wanted; those before it (the agent's queue
    refreshing, the visitor's own acknowledgement) are passed over."""
    async with asyncio.timeout(FRAME_SECONDS):
        while True:
            frame = json.loads(await stream.recv())
            if wanted(frame):
                return frame


def _post_reply(base_url: str, chat_id: int, session_key: str, text: str) -> int:
    """The workspace's reply form, posted as the agent's browser posts it."""
    # Django compares the form's token with the cookie's: a new browser's pair.
    csrf = secrets.token_hex(16)
    port = int(base_url.rsplit(":", 1)[1])
    request = http.client.HTTPConnection("127.0.0.1", port, timeout=FRAME_SECONDS)
    try:
        request.request(
            "POST",
            f"/chat/{chat_id}/reply/",
            body=urlencode({"csrfmiddlewaretoken": csrf, "body": text}),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}",
            },
        )
        return request.getresponse().status
    finally:
        request.close()


async def _converse(visitor_server: str, agent_server: str, widget_key: str, session: str) -> int:
    """The agent's page opens on one process, the visitor's widget on the
    other; a message one way, a reply the other: the chat's id."""
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
    agent_socket = agent_server.replace("http://", "ws://") + "/ws/live/"
    visitor_socket = visitor_server.replace("http://", "ws://") + f"/ws/chat/{widget_key}/?lang=pl"
    async with connect(
        agent_socket, origin=Origin(agent_server), additional_headers=cookie
    ) as page:
        hello = json.loads(await page.recv())
        assert hello["event"] == "hello"
        async with connect(visitor_socket, origin=Origin(SITE)) as widget:
            welcome = json.loads(await widget.recv())
            assert welcome["type"] == "welcome" and welcome["token"]
            await asyncio.sleep(IDLE_SECONDS)  # nobody writes for a while
            await widget.send(
                json.dumps({"type": "message", "client_id": "c1", "text": "Nie działa mi koszyk"})
            )
            heard = await _frame_until(page, lambda frame: frame["event"] == "chat_message")
            message = heard["payload"]["message"]
            assert (message["text"], message["client_id"], message["from"]) == (
                "Nie działa mi koszyk",
                "c1",
                "visitor",
            )

            # The agent answers through the process that holds their page.
            chat_id = heard["payload"]["chat"]
            status = await asyncio.to_thread(
                _post_reply, agent_server, chat_id, session, "Już sprawdzam."
            )
            assert status == 302  # back to the chat, as after any form
            reply = await _frame_until(
                widget, lambda frame: frame["type"] == "message" and frame["from"] == "agent"
            )
            assert reply["text"] == "Już sprawdzam."
            return chat_id


def test_a_visitor_on_one_process_reaches_an_agent_on_another_and_hears_the_reply(
    two_servers, agent
):
    visitor_server, agent_server = two_servers
    widget = Widget.objects.create(name="Sklep", allowed_origins=[SITE])
    actions.do_set_agent_state(agent, AgentState.AVAILABLE)
    browser = Client()
    browser.force_login(agent)  # a session row in the database, as signing in makes
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value

    try:
        chat_id = asyncio.run(_converse(visitor_server, agent_server, widget.key, session))
    except ConnectionClosed as closed:
        pytest.fail(f"a server closed a socket that had waited {IDLE_SECONDS} s: {closed}")

    chat = Chat.objects.select_related("ticket").get(pk=chat_id)
    assert (chat.status, chat.agent_id) == (ChatStatus.ACTIVE, agent.pk)
    assert chat.ticket is not None
    assert [message.body_text for message in chat.ticket.messages.order_by("id")] == [
        "Nie działa mi koszyk",
        "Już sprawdzam.",
    ]
