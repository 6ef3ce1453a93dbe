"""A visitor on a client's site chats through the widget's socket: only from
the widget's allowed sites, with a signed token that survives a reload,
every message stored raw and filed once into a chat conversation that goes
to an available agent, who hears it live and whose reply reaches the
visitor. A flood is slowed down, nothing is lost on a reconnect."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from carebase.chat import actions
from carebase.chat.models import (
    AgentState,
    Chat,
    ChatStatus,
    InboundChatMessage,
    Visitor,
    Widget,
)
from carebase.testing import listen
from carebase.tickets.models import Channel, Ticket

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.anyio,
    pytest.mark.usefixtures("close_sync_thread_connections"),
]

SITE = "https://shop.example"
# A Tuesday morning in Warsaw: business hours.
OPEN = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))


@pytest.fixture(autouse=True, scope="module")
def dictionaries():
    """Loaded as the server loads them when it starts (asgi.py): the first
    message must not wait for them."""
    from carebase.core.search import load_dictionaries

    load_dictionaries()


@pytest.fixture
def opening_hours():
    with time_machine.travel(OPEN, tick=True):
        yield


def _widget(**values):
    return Widget.objects.create(name="Sklep", allowed_origins=[SITE], **values)


async def visit(widget, *, origin=SITE, token="", after=0, lang="pl"):
    """The widget's socket, connected: (communicator, its welcome frame or the close code)."""
    from carebase.asgi import application

    path = (
        f"/ws/chat/{widget.key}/?lang={lang}&after={after}&page=https%3A%2F%2Fshop.example%2Fcart"
    )
    if token:
        path += f"&token={token}"
    communicator = WebsocketCommunicator(application, path, headers=[(b"origin", origin.encode())])
    connected, code = await communicator.connect()
    if not connected:
        return communicator, code
    return communicator, await communicator.receive_json_from(timeout=3)


async def test_a_visitor_message_reaches_the_available_agent_and_the_reply_comes_back(
    agent, opening_hours
):
    widget = await sync_to_async(_widget)()
    await sync_to_async(actions.do_set_agent_state)(agent, AgentState.AVAILABLE)
    page = await listen(agent)
    socket, welcome = await visit(widget)
    assert welcome["type"] == "welcome" and welcome["online"] is True
    assert welcome["token"] and welcome["messages"] == []
    await socket.send_json_to(
        {"type": "message", "client_id": "a1", "text": "Nie działa mi koszyk"}
    )
    # The acknowledgement, and the agent joining (routed just after filing).
    frames = [await socket.receive_json_from(timeout=3) for _ in range(2)]
    echoed = next(frame for frame in frames if frame["type"] == "message")
    assert echoed["client_id"] == "a1" and echoed["from"] == "visitor"
    assert {"type": "agent", "name": agent.first_name or agent.username} in frames

    heard = {}
    while "chat_message" not in heard:
        frame = await page.receive_json_from(timeout=3)
        heard[frame["event"]] = frame["payload"]
    assert heard["chat_assigned"]["toast"]
    assert heard["chat_message"]["message"]["text"] == "Nie działa mi koszyk"

    chat = await sync_to_async(Chat.objects.select_related("ticket", "visitor").get)()
    assert (chat.status, chat.agent_id, chat.ticket.channel) == (
        ChatStatus.ACTIVE,
        agent.pk,
        Channel.CHAT,
    )
    assert chat.ticket.assignee_id == agent.pk
    assert chat.visitor.page_url == "https://shop.example/cart" and chat.visitor.language == "pl"
    stored = await sync_to_async(InboundChatMessage.objects.get)()
    assert stored.raw == {"text": "Nie działa mi koszyk"} and stored.message_id is not None

    # The agent answers from the workspace; the visitor's socket hears it.
    from django.test import Client

    client = Client()
    await sync_to_async(client.force_login)(agent)
    response = await sync_to_async(client.post)(
        f"/chat/{chat.pk}/reply/", {"body": "Już sprawdzam."}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Już sprawdzam." in response.content.decode()
    reply = await socket.receive_json_from(timeout=3)
    assert (reply["type"], reply["from"], reply["text"]) == ("message", "agent", "Już sprawdzam.")
    await socket.disconnect()
    await page.disconnect()


async def test_another_site_or_an_unknown_key_is_refused_and_stores_nothing():
    widget = await sync_to_async(_widget)()
    _socket, code = await visit(widget, origin="https://evil.example")
    assert code == 4403
    off = await sync_to_async(Widget.objects.create)(
        name="Old", allowed_origins=[SITE], active=False
    )
    _socket, code = await visit(off)
    assert code == 4403
    assert await sync_to_async(Visitor.objects.count)() == 0


async def test_a_token_survives_a_reload_and_a_tampered_one_is_refused():
    widget = await sync_to_async(_widget)()
    other = await sync_to_async(Widget.objects.create)(name="Other", allowed_origins=[SITE])
    socket, welcome = await visit(widget)
    token = welcome["token"]
    await socket.send_json_to({"type": "message", "client_id": "m1", "text": "Dzień dobry"})
    first = await socket.receive_json_from(timeout=3)
    await socket.disconnect()

    # A reload: the same visitor, and what came after the last message seen.
    socket, again = await visit(widget, token=token)
    assert again["type"] == "welcome" and [m["text"] for m in again["messages"]] == ["Dzień dobry"]
    socket2, later = await visit(widget, token=token, after=first["id"])
    assert later["messages"] == []
    await socket.disconnect()
    await socket2.disconnect()
    assert await sync_to_async(Visitor.objects.count)() == 1

    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    _socket, code = await visit(widget, token=tampered)
    assert code == 4401
    _socket, code = await visit(other, token=token)  # another widget's visitor
    assert code == 4401
    assert await sync_to_async(Visitor.objects.count)() == 1


async def test_a_resent_message_is_filed_once_and_acknowledged_again():
    widget = await sync_to_async(_widget)()
    socket, welcome = await visit(widget)
    await socket.send_json_to({"type": "message", "client_id": "same", "text": "Halo"})
    first = await socket.receive_json_from(timeout=3)
    await socket.disconnect()
    socket, _welcome = await visit(widget, token=welcome["token"], after=first["id"])
    await socket.send_json_to({"type": "message", "client_id": "same", "text": "Halo"})
    again = await socket.receive_json_from(timeout=3)
    assert (again["id"], again["client_id"]) == (first["id"], "same")
    await socket.disconnect()
    assert await sync_to_async(Ticket.objects.count)() == 1
    assert await sync_to_async(InboundChatMessage.objects.count)() == 1


async def test_a_flood_is_slowed_down_and_an_empty_or_huge_message_is_refused():
    widget = await sync_to_async(_widget)()
    socket, _welcome = await visit(widget)
    for number in range(actions.RATE_LIMIT + 5):
        await socket.send_json_to({"type": "message", "client_id": f"f{number}", "text": "spam"})
    frames = [await socket.receive_json_from(timeout=5) for _ in range(actions.RATE_LIMIT + 5)]
    limited = [frame for frame in frames if frame.get("code") == "rate_limited"]
    assert limited and all(1 <= frame["retry_after"] <= actions.RATE_WINDOW for frame in limited)
    stored = await sync_to_async(InboundChatMessage.objects.count)()
    assert stored == len(frames) - len(limited) <= actions.RATE_LIMIT
    await socket.disconnect()

    socket, _welcome = await visit(await sync_to_async(_widget)())
    await socket.send_json_to({"type": "message", "client_id": "e", "text": "   "})
    empty = await socket.receive_json_from(timeout=3)
    assert empty["code"] == "invalid" and empty["client_id"] == "e"
    await socket.send_json_to({"type": "message", "client_id": "h", "text": "x" * 6000})
    huge = await socket.receive_json_from(timeout=3)
    assert huge["code"] == "invalid" and "text" in huge["detail"]
    await socket.disconnect()


async def test_with_nobody_available_the_message_becomes_an_email_conversation():
    widget = await sync_to_async(_widget)()
    socket, welcome = await visit(widget)
    assert welcome["online"] is False
    await socket.send_json_to(
        {"type": "offline", "name": "Anna", "email": "nie-email", "text": "Pytanie"}
    )
    refused = await socket.receive_json_from(timeout=3)
    assert refused["code"] == "invalid" and "email" in refused["detail"]
    await socket.send_json_to(
        {
            "type": "offline",
            "name": "Anna",
            "email": "anna@shop.example",
            "text": "Pytanie o fakturę",
        }
    )
    assert (await socket.receive_json_from(timeout=3))["type"] == "offline_sent"
    await socket.disconnect()
    ticket = await sync_to_async(Ticket.objects.select_related("requester").get)()
    assert ticket.channel == Channel.EMAIL and ticket.subject == "Pytanie o fakturę"
    assert await sync_to_async(lambda: ticket.requester.emails)() == ["anna@shop.example"]


async def test_the_visitor_identifies_and_rates_the_closed_chat(agent):
    widget = await sync_to_async(_widget)()
    socket, _welcome = await visit(widget)
    await socket.send_json_to({"type": "identify", "name": "", "email": "x"})
    refused = await socket.receive_json_from(timeout=3)
    assert set(refused["detail"]) == {"name", "email"}
    await socket.send_json_to(
        {"type": "identify", "name": "Ewa Nowak", "email": "ewa@shop.example"}
    )
    assert (await socket.receive_json_from(timeout=3))["type"] == "identified"
    await socket.send_json_to({"type": "message", "client_id": "q", "text": "Jak zmienić plan?"})
    await socket.receive_json_from(timeout=3)
    chat = await sync_to_async(Chat.objects.select_related("ticket__requester").get)()
    assert chat.ticket.requester.name == "Ewa Nowak"
    await sync_to_async(actions.do_take_chat)(chat, agent)
    await socket.receive_json_from(timeout=3)  # the agent joined
    await sync_to_async(actions.do_close_chat)(
        chat, actor=agent, resolution="resolved", reason="Answered by phone"
    )
    closed = await socket.receive_json_from(timeout=3)
    assert closed["type"] == "closed" and closed["rate"] is True
    await socket.send_json_to({"type": "rate", "rating": 9})
    assert (await socket.receive_json_from(timeout=3))["code"] == "invalid"
    await socket.send_json_to({"type": "rate", "rating": 5, "comment": "Szybko i konkretnie"})
    assert (await socket.receive_json_from(timeout=3))["type"] == "rated"
    await socket.disconnect()
    chat = await sync_to_async(Chat.objects.get)()
    assert (chat.rating, chat.rating_comment) == (5, "Szybko i konkretnie")
