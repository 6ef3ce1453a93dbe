"""Live updates to browsers: the one way to push an event to a signed-in user.

Events are sent after the surrounding transaction commits, so a browser never
hears about a change that was rolled back. With REDIS_URL set the channel
layer carries them between processes; otherwise the in-memory layer serves
the single embedded process.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def team_group(team_id: int) -> str:
    return f"team.{team_id}"


# Everyone who sees every team's work (heads, admins), and the triage pool.
ALL_TEAMS_GROUP = "teams.all"


def send_to_group(group: str, event: str, payload: dict[str, Any]) -> None:
    """Send after the surrounding transaction commits."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        async_to_sync(layer.group_send)(
            group, {"type": "live.event", "event": event, "payload": payload}
        )

    transaction.on_commit(send)


def send_to_user(user_id: int, event: str, payload: dict[str, Any]) -> None:
    send_to_group(user_group(user_id), event, payload)
