from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from carebase.core.realtime import user_group


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """One socket per open page: delivers the events sent to its user."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=4401)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"event": "hello", "payload": {"user": user.pk}})

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        # The socket is server → browser; a ping keeps proxies from closing it.
        if isinstance(content, dict) and content.get("event") == "ping":
            await self.send_json({"event": "pong", "payload": {}})

    async def live_event(self, message: dict[str, Any]) -> None:
        await self.send_json({"event": message["event"], "payload": message["payload"]})
