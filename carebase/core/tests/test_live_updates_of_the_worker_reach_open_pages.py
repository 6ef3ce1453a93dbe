"""With live updates in memory (no Redis), the worker and the mail pipes run
in processes of their own: their events go through the database, and the
web process forwards them to the open pages, once each."""

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction

from carebase.core.models import LiveEvent
from carebase.core.realtime import relay_through_database, send_to_user
from carebase.core.relay import forward_once
from carebase.testing import listen

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.anyio,
    pytest.mark.usefixtures("close_sync_thread_connections"),
]


def _worker_sends(user_id: int, rolled_back: bool = False) -> None:
    with relay_through_database():
        if rolled_back:
            try:
                with transaction.atomic():
                    send_to_user(user_id, "assigned", {"ticket": 2})
                    raise RuntimeError
            except RuntimeError:
                pass
        else:
            send_to_user(user_id, "assigned", {"ticket": 1})


async def test_an_event_of_another_process_is_forwarded_once(agent):
    page = await listen(agent)
    await sync_to_async(_worker_sends)(agent.pk)
    # Not sent directly: this process's layer is not the worker's.
    assert await page.receive_nothing(timeout=0.2)
    assert await sync_to_async(LiveEvent.objects.count)() == 1
    seen: dict = {}
    assert await forward_once(seen) == 1
    heard = await page.receive_json_from(timeout=2)
    assert heard == {"event": "assigned", "payload": {"ticket": 1}}
    # The next poll does not send it again.
    assert await forward_once(seen) == 0
    assert await page.receive_nothing(timeout=0.2)
    await page.disconnect()


async def test_a_rolled_back_change_of_another_process_sends_nothing(agent):
    page = await listen(agent)
    await sync_to_async(_worker_sends)(agent.pk, rolled_back=True)
    assert await forward_once({}) == 0
    assert await page.receive_nothing(timeout=0.2)
    await page.disconnect()


async def test_outside_the_relay_events_travel_directly(agent):
    page = await listen(agent)
    await sync_to_async(send_to_user)(agent.pk, "assigned", {"ticket": 3})
    assert (await page.receive_json_from(timeout=2))["payload"] == {"ticket": 3}
    assert await sync_to_async(LiveEvent.objects.count)() == 0
    await page.disconnect()


async def test_forwarding_runs_while_a_socket_is_open_and_stops_after(agent, monkeypatch):
    import asyncio

    from channels.testing.websocket import WebsocketCommunicator

    from carebase.core import relay
    from carebase.core.consumers import LiveConsumer

    monkeypatch.setattr(relay, "POLL_SECONDS", 0.05)
    communicator = WebsocketCommunicator(
        relay.ForwardingWhileOpen(LiveConsumer.as_asgi()), "/ws/live/"
    )
    communicator.scope["user"] = agent
    connected, _ = await communicator.connect()
    assert connected
    await communicator.receive_json_from()  # hello
    assert relay.is_forwarding()
    await sync_to_async(_worker_sends)(agent.pk)
    heard = await communicator.receive_json_from(timeout=3)
    assert heard == {"event": "assigned", "payload": {"ticket": 1}}
    await communicator.disconnect()
    for _ in range(40):
        if not relay.is_forwarding():
            break
        await asyncio.sleep(0.05)
    assert not relay.is_forwarding()
