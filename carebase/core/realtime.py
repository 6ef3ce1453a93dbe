"""Live updates to browsers: the one way to push an event to a signed-in user.

Events are sent after the surrounding transaction commits, so a browser never
hears about a change that was rolled back. With REDIS_URL set the channel
layer carries them between processes; otherwise the in-memory layer serves
the single embedded process.
"""

from __future__ import annotations

import asyncio
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


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


def send_to_group(group: str, event: str, payload: dict[str, Any]) -> None:
    """Send after the surrounding transaction commits."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        message = {"type": "live.event", "event": event, "payload": payload}
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            async_to_sync(layer.group_send)(group, message)
            return
        # Called from code that runs inside an event loop (an async view, a test
        # driver): schedule the send instead of blocking the loop.
        task = loop.create_task(layer.group_send(group, message))
        _pending.add(task)  # a task nobody references may be collected before it runs
        task.add_done_callback(_pending.discard)

    transaction.on_commit(send)


def send_to_user(user_id: int, event: str, payload: dict[str, Any]) -> None:
    send_to_group(user_group(user_id), event, payload)
