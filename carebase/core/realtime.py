"""Live updates to browsers: the one way to push an event to a signed-in user.

Events are sent after the surrounding transaction commits, so a browser never
hears about a change that was rolled back. With REDIS_URL set the channel
layer carries them between processes; otherwise the in-memory layer serves
the single embedded process.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

from carebase.core import deferred


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


_pending: set[asyncio.Task[None]] = set()


def team_group(team_id: int) -> str:
    return f"team.{team_id}"


# Everyone who sees every team's work (heads, admins).
ALL_TEAMS_GROUP = "teams.all"
# Everyone else who works conversations: the team-less ones (the triage pool)
# are theirs to see too, whatever their teams (none, for a new agent).
TRIAGE_GROUP = "teams.triage"


# Set while a process that has no open pages of its own runs (the worker, a
# mail pipe) and live updates travel in memory: its events go through the
# database to the web process instead (LiveEvent, core/relay.py).
_through_database: ContextVar[bool] = ContextVar("live_through_database", default=False)


def in_memory() -> bool:
    return isinstance(get_channel_layer(), InMemoryChannelLayer)


@contextmanager
def relay_through_database() -> Iterator[None]:
    """Inside, events are written for the web process to forward, when the
    channel layer is in memory (one web process, no Redis); with Redis they
    cross processes by themselves and nothing changes."""
    token = _through_database.set(in_memory())
    try:
        yield
    finally:
        _through_database.reset(token)


def send_to_group(group: str, event: str, payload: dict[str, Any]) -> None:
    """Send after the surrounding transaction commits."""
    if _through_database.get():
        from carebase.core.models import LiveEvent

        # In the change's own transaction: rolled back with it.
        live = LiveEvent(group=group, event=event, payload=payload)
        if not deferred.defer(_write_live_events, live):
            live.save(force_insert=True)
        return
    sending = [(group, {"type": "live.event", "event": event, "payload": payload})]
    if not deferred.defer(_send_after_commit, sending[0]):
        _send_after_commit(sending)


def send_to_groups(events: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Several (group, event, payload) after commit, in one trip to the event
    loop and the channel layer: a chat line tells its visitor and its agent."""
    if _through_database.get() or deferred.in_batch():
        for group, event, payload in events:
            send_to_group(group, event, payload)
        return
    _send_after_commit(
        [
            (group, {"type": "live.event", "event": event, "payload": payload})
            for group, event, payload in events
        ]
    )


def _write_live_events(events: list[Any]) -> None:
    from carebase.core.models import LiveEvent

    LiveEvent.objects.bulk_create(
        _once(events, lambda live: (live.group, live.event, live.payload))
    )


def _once(items: list[Any], key: Callable[[Any], tuple[Any, ...]]) -> list[Any]:
    """The items without repeats: a batch that touches one conversation ten
    times tells each open page once."""
    seen: set[str] = set()
    kept = []
    for item in items:
        identity = repr(key(item))
        if identity not in seen:
            seen.add(identity)
            kept.append(item)
    return kept


def _send_after_commit(sending: list[tuple[str, dict[str, Any]]]) -> None:
    sending = _once(sending, lambda pair: pair)

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return

        async def send_all() -> None:
            for group, message in sending:
                await layer.group_send(group, message)

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            async_to_sync(send_all)()
            return
        # Called from code that runs inside an event loop (an async view, a test
        # driver): schedule the send instead of blocking the loop.
        task = loop.create_task(send_all())
        _pending.add(task)  # a task nobody references may be collected before it runs
        task.add_done_callback(_pending.discard)

    transaction.on_commit(send)


def send_to_user(user_id: int, event: str, payload: dict[str, Any]) -> None:
    send_to_group(user_group(user_id), event, payload)


# What agents' pages send up their live socket ({"event": ..., "payload": ...}),
# handled by the apps that registered the event in their AppConfig.ready().
# `joins(user, payload)` answers the groups the socket joins first (a
# conversation's viewers, once the user may see it); then `handler(user,
# payload)` runs, and what it sends reaches the socket too. Both run in a
# thread with database access.
Handler = Callable[[Any, dict[str, Any]], None]
Joins = Callable[[Any, dict[str, Any]], list[str]]
_RECEIVERS: dict[str, list[tuple[Handler, Joins | None]]] = {}


def register_receiver(event: str, handler: Handler, *, joins: Joins | None = None) -> None:
    _RECEIVERS.setdefault(event, []).append((handler, joins))


def _receivers(event: Any, payload: Any) -> list[tuple[Handler, Joins | None]]:
    if not isinstance(event, str) or not isinstance(payload, dict):
        return []
    return _RECEIVERS.get(event, [])


def groups_to_join(user: Any, event: Any, payload: Any) -> list[str]:
    groups: list[str] = []
    for _handler, joins in _receivers(event, payload):
        if joins is not None:
            groups += joins(user, payload)
    return groups


def receive(user: Any, event: Any, payload: Any) -> None:
    """Run the handlers of an event sent up a socket."""
    for handler, _joins in _receivers(event, payload):
        handler(user, payload)
