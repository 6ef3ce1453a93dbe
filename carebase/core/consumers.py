from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from carebase.core.access import Perm, has_perm
from carebase.core.realtime import (
    ALL_TEAMS_GROUP,
    TRIAGE_GROUP,
    groups_to_join,
    receive,
    team_group,
    user_group,
)

MAX_GROUPS = 100


class Socket(AsyncJsonWebsocketConsumer):
    """A consumer that does not sweep the database connections before every
    message it handles. Channels does (aclose_old_connections), in a hop to
    the process's one thread for sync code: a frame for each of fifty agents
    waited its turn there behind the database work of the whole process. The
    database work here runs in database_sync_to_async, which sweeps the
    connections of its own thread before and after."""

    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)


class LiveConsumer(Socket):
    """One socket per open page: delivers the events sent to its user."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=4401)
            return
        self.groups_joined = [user_group(user.pk), *await self._work_groups(user)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json({"event": "hello", "payload": {"user": user.pk}})

    @database_sync_to_async
    def _work_groups(self, user: Any) -> list[str]:
        """The teams whose work this person sees live."""
        if not has_perm(user, Perm.VIEW_TICKETS):
            return []
        if has_perm(user, Perm.ALL_TEAMS_TICKETS):
            return [ALL_TEAMS_GROUP]
        teams = user.teams.values_list("pk", flat=True)
        return [TRIAGE_GROUP, *(team_group(pk) for pk in teams)]

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        # A ping keeps proxies from closing the socket; other events (typing,
        # viewing) go to the app that registered them (core.realtime).
        if not isinstance(content, dict):
            return
        if content.get("event") == "ping":
            await self.send_json({"event": "pong", "payload": {}})
            return
        user, event, payload = self.scope["user"], content.get("event"), content.get("payload")
        for group in await database_sync_to_async(groups_to_join)(user, event, payload):
            # A page watches a few conversations; a socket never joins more than MAX_GROUPS.
            if group not in self.groups_joined and len(self.groups_joined) < MAX_GROUPS:
                self.groups_joined.append(group)
                await self.channel_layer.group_add(group, self.channel_name)
        await database_sync_to_async(receive)(user, event, payload)

    async def live_event(self, message: dict[str, Any]) -> None:
        await self.send_json({"event": message["event"], "payload": message["payload"]})
