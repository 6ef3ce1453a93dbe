"""Collision detection: agents on one conversation see who else is viewing
it or typing a reply, and a second agent's reply after a colleague's is
held back with the colleague's reply shown, until they send it anyway."""

import pytest
from asgiref.sync import sync_to_async

from carebase.crm.actions import do_create_contact
from carebase.testing import client_for, listen, make_user
from carebase.tickets.actions import do_add_reply, do_create_ticket
from carebase.tickets.models import Channel


def _ticket():
    contact = do_create_contact(actor=None, name="Jan Kowalski", emails=["jan@firma.example"])
    return do_create_ticket(
        subject="Nie działa eksport", body="Eksport CSV jest pusty.", requester=contact,
        channel=Channel.EMAIL,
    )  # fmt: skip


@pytest.mark.django_db
def test_a_reply_crossing_a_colleagues_is_held_back_until_sent_anyway(agent, head_of_support):
    ticket = _ticket()
    page = client_for(agent).get(f"/tickets/{ticket.pk}/").content.decode()
    seen = ticket.messages.get().pk
    assert f'name="seen" value="{seen}"' in page
    # Meanwhile the head answers.
    do_add_reply(ticket, body="Sprawdzamy eksport, odezwiemy się.", author_user=head_of_support)
    response = client_for(agent).post(
        f"/tickets/{ticket.pk}/reply/", {"body": "Proszę wysłać plik.", "public": "1", "seen": seen}
    )
    assert response.status_code == 409
    held = response.content.decode()
    assert "replied while you were writing" in held
    assert "Sprawdzamy eksport, odezwiemy się." in held and "Send anyway" in held
    assert ticket.messages.count() == 2  # nothing sent
    # The form comes back filled, to send as it is.
    assert "Proszę wysłać plik." in held and 'name="send_anyway" value="on"' in held
    response = client_for(agent).post(
        f"/tickets/{ticket.pk}/reply/",
        {"body": "Proszę wysłać plik.", "public": "1", "seen": seen, "send_anyway": "on"},
    )
    assert response.status_code == 302
    assert ticket.messages.count() == 3


@pytest.mark.django_db
def test_an_internal_note_or_ones_own_earlier_reply_is_no_collision(agent, head_of_support):
    ticket = _ticket()
    seen = ticket.messages.get().pk
    do_add_reply(ticket, body="Notatka", public=False, author_user=head_of_support)
    do_add_reply(ticket, body="Moja pierwsza odpowiedź", author_user=agent)
    response = client_for(agent).post(
        f"/tickets/{ticket.pk}/reply/", {"body": "I druga.", "public": "1", "seen": seen}
    )
    assert response.status_code == 302


@pytest.mark.django_db(transaction=True)
@pytest.mark.anyio
@pytest.mark.usefixtures("close_sync_thread_connections")
async def test_agents_on_a_conversation_see_each_other_viewing_and_typing(agent):
    from carebase.core.roles import Role

    ticket = await sync_to_async(_ticket)()
    colleague = await sync_to_async(make_user)("ola", Role.SUPPORT_AGENT, first_name="Ola")
    outsider = await sync_to_async(make_user)("klient", Role.CUSTOMER)
    mine, theirs = await listen(agent), await listen(colleague)
    await mine.send_json_to({"event": "viewing", "payload": {"ticket": ticket.pk}})
    heard = await mine.receive_json_from(timeout=3)
    assert heard["event"] == "presence"
    assert [viewer["name"] for viewer in heard["payload"]["viewers"]] == ["Piotr Agent"]
    await theirs.send_json_to({"event": "typing", "payload": {"ticket": ticket.pk}})
    heard = await mine.receive_json_from(timeout=3)
    assert {(v["name"], v["typing"]) for v in heard["payload"]["viewers"]} == {
        ("Piotr Agent", False),
        ("Ola", True),
    }
    await theirs.receive_json_from(timeout=3)
    await theirs.send_json_to(
        {"event": "viewing", "payload": {"ticket": ticket.pk, "leaving": True}}
    )
    heard = await mine.receive_json_from(timeout=3)
    assert [viewer["name"] for viewer in heard["payload"]["viewers"]] == ["Piotr Agent"]
    # Someone who may not see the conversation hears nothing and tells nobody.
    stranger = await listen(outsider)
    await stranger.send_json_to({"event": "viewing", "payload": {"ticket": ticket.pk}})
    assert await stranger.receive_nothing(timeout=0.3)
    assert await mine.receive_nothing(timeout=0.3)
    for socket in (mine, theirs, stranger):
        await socket.disconnect()
