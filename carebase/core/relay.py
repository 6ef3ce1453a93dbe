"""The web process's side of live updates written to the database (see
core.realtime.relay_through_database): while pages are open, it reads the
new LiveEvent rows every second and sends them to the in-memory channel
layer, as if they had been sent here.

Rows are read by age, not only by id, and remembered for a while: a
transaction that took its id earlier may commit after a later one was read.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.utils import timezone

logger = logging.getLogger("carebase.live")

POLL_SECONDS = 1.0
# How late a row may commit and still be forwarded.
WINDOW = timedelta(seconds=30)
# Rows are deleted well after that: a transaction that ran long (its row
# stamped when written, not when committed) still finds its row read.
KEEP = timedelta(minutes=5)

_task: asyncio.Task[None] | None = None
_open_sockets = 0


class ForwardingWhileOpen:
    """ASGI middleware for the WebSocket route: while any socket of this
    process is open, the forwarding runs (only with the in-memory channel
    layer); it stops after the last one closes."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> Any:
        from carebase.core.realtime import in_memory

        if not in_memory():
            return await self.app(scope, receive, send)
        global _open_sockets
        _open_sockets += 1
        start_forwarding()
        try:
            return await self.app(scope, receive, send)
        finally:
            _open_sockets -= 1


def is_forwarding() -> bool:
    return _task is not None and not _task.done()


def start_forwarding() -> None:
    """Start the forwarding loop in this process's event loop, once."""
    global _task
    if _task is None or _task.done():
        _task = asyncio.get_running_loop().create_task(_forward_forever())


async def _forward_forever() -> None:
    seen: dict[int, datetime] = dict(await database_sync_to_async(_recent)(None))
    while True:
        await asyncio.sleep(POLL_SECONDS)
        if _open_sockets == 0:
            return  # nobody to tell; the next socket starts it again
        try:
            await forward_once(seen)
        except Exception:  # a locked or restarting database: try again next second
            logger.exception("Forwarding live events failed")


async def forward_once(seen: dict[int, datetime]) -> int:
    """Send the rows not sent yet; `seen` holds the ids already sent (kept
    for WINDOW). Returns how many were sent."""
    rows = await database_sync_to_async(_recent)(set(seen))
    layer = get_channel_layer()
    for pk, created_at, group, event, payload in rows:
        seen[pk] = created_at
        if layer is not None:
            message = {"type": "live.event", "event": event, "payload": payload}
            await layer.group_send(group, message)
    horizon = timezone.now() - WINDOW
    for pk in [pk for pk, created_at in seen.items() if created_at < horizon]:
        del seen[pk]
    return len(rows)


def _recent(exclude: set[int] | None) -> list[Any]:
    """The rows of the last WINDOW, but those in `exclude`; None: only their
    ids and times (what is already there when forwarding starts)."""
    from carebase.core.models import LiveEvent

    now = timezone.now()
    if now.second % 30 == 0:  # now and then, not at every poll
        LiveEvent.objects.filter(created_at__lt=now - KEEP).delete()
    recent = LiveEvent.objects.filter(created_at__gte=now - WINDOW).order_by("id")
    if exclude is None:
        return list(recent.values_list("pk", "created_at"))
    return list(
        recent.exclude(pk__in=exclude).values_list("pk", "created_at", "group", "event", "payload")
    )
