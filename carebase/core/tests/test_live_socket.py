"""The live-updates WebSocket: signed-in users receive the events sent to them."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing.websocket import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from carebase.core.consumers import LiveConsumer
from carebase.core.realtime import send_to_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.anyio,
    pytest.mark.usefixtures("close_sync_thread_connections"),
]


def communicator_for(user):
    communicator = WebsocketCommunicator(LiveConsumer.as_asgi(), "/ws/live/")
    communicator.scope["user"] = user
    return communicator


async def test_an_anonymous_visitor_is_refused():
    communicator = communicator_for(AnonymousUser())
    connected, code = await communicator.connect()
    assert not connected and code == 4401


async def test_a_user_receives_an_event_after_the_change_commits(agent):
    communicator = communicator_for(agent)
    connected, _ = await communicator.connect()
    assert connected
    assert (await communicator.receive_json_from())["event"] == "hello"

    def change():
        with transaction.atomic():
            send_to_user(agent.pk, "roles_changed", {"roles": ["cs_manager"]})

    await sync_to_async(change)()
    message = await communicator.receive_json_from(timeout=2)
    assert message == {"event": "roles_changed", "payload": {"roles": ["cs_manager"]}}
    await communicator.disconnect()


async def test_a_rolled_back_change_sends_nothing(agent):
    communicator = communicator_for(agent)
    await communicator.connect()
    await communicator.receive_json_from()

    def change_then_fail():
        try:
            with transaction.atomic():
                send_to_user(agent.pk, "roles_changed", {"roles": []})
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass

    await sync_to_async(change_then_fail)()
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_other_users_do_not_receive_the_event(agent, trainee):
    communicator = communicator_for(trainee)
    await communicator.connect()
    await communicator.receive_json_from()
    await sync_to_async(send_to_user)(agent.pk, "roles_changed", {"roles": []})
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_a_ping_gets_a_pong(agent):
    communicator = communicator_for(agent)
    await communicator.connect()
    await communicator.receive_json_from()
    await communicator.send_json_to({"event": "ping"})
    assert (await communicator.receive_json_from())["event"] == "pong"
    await communicator.disconnect()
