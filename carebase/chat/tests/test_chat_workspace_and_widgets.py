"""The agents' chat workspace over HTTP: status, queue, taking, transferring
and the closing rules; the widget settings for admins and the widget's
script in both languages; who may see what."""

import pytest
from django.core.exceptions import ValidationError

from carebase.accounts.models import Team
from carebase.chat import actions
from carebase.chat.models import AgentState, AgentStatus, Chat, ChatStatus, Widget
from carebase.testing import client_for, make_user
from carebase.tickets.models import Status

pytestmark = pytest.mark.django_db


def _chat(widget, text="Nie mogę się zalogować", client_id="c1"):
    visitor = actions.do_start_visitor(widget, language="pl")
    actions.do_receive_visitor_message(visitor, client_id=client_id, text=text)
    return Chat.objects.select_related("ticket").get(visitor=visitor)


@pytest.fixture
def widget():
    return Widget.objects.create(name="Sklep", allowed_origins=["https://shop.example"])


def test_a_new_chat_goes_round_robin_to_available_agents_with_room(widget, agent, head_of_support):
    from carebase.core.roles import Role

    second = make_user("ola", Role.SUPPORT_AGENT)
    away = make_user("away", Role.SUPPORT_AGENT)
    actions.do_set_agent_state(agent, AgentState.AVAILABLE, max_chats=1)
    actions.do_set_agent_state(second, AgentState.AVAILABLE, max_chats=1)
    actions.do_set_agent_state(away, AgentState.AWAY)
    first, other, third = (_chat(widget, client_id=f"c{n}") for n in range(3))
    assert {first.agent_id, other.agent_id} == {agent.pk, second.pk}
    # Both are at their limit: the third waits in the queue.
    assert (third.status, third.agent_id) == (ChatStatus.WAITING, None)
    response = client_for(agent).get("/chat/")
    assert response.status_code == 200
    assert f"/chat/{third.pk}/" in response.content.decode()
    # Picked from the queue.
    assert client_for(head_of_support).post(f"/chat/{third.pk}/take/").status_code == 302
    third.refresh_from_db()
    assert (third.status, third.agent_id) == (ChatStatus.ACTIVE, head_of_support.pk)


def test_a_waiting_chat_goes_to_the_agent_who_becomes_available(widget, agent):
    chat = _chat(widget)
    assert chat.status == ChatStatus.WAITING
    response = client_for(agent).post("/chat/status/", {"state": "available", "max_chats": 2})
    assert response.status_code == 302
    actions.route_waiting_chats()
    chat.refresh_from_db()
    assert chat.agent_id == agent.pk
    assert AgentStatus.objects.get(user=agent).max_chats == 2


def test_a_chat_closes_only_with_a_resolution_and_an_unanswered_one_needs_a_reason(widget, agent):
    actions.do_set_agent_state(agent, AgentState.AVAILABLE)
    chat = _chat(widget)
    client = client_for(agent)
    assert client.post(f"/chat/{chat.pk}/close/", {"resolution": ""}).status_code == 422
    response = client.post(f"/chat/{chat.pk}/close/", {"resolution": "resolved"})
    assert response.status_code == 422
    assert "has no answer" in response.content.decode()
    chat.refresh_from_db()
    assert chat.status == ChatStatus.ACTIVE
    # Answered, it closes; the conversation is solved.
    client.post(f"/chat/{chat.pk}/reply/", {"body": "Proszę zresetować hasło tutaj."})
    assert client.post(f"/chat/{chat.pk}/close/", {"resolution": "resolved"}).status_code == 302
    chat.refresh_from_db()
    chat.ticket.refresh_from_db()
    assert (chat.status, chat.resolution, chat.ticket.status) == (
        ChatStatus.CLOSED,
        "resolved",
        Status.SOLVED,
    )
    with pytest.raises(ValidationError):
        actions.do_close_chat(chat, actor=agent, resolution="resolved")


def test_a_chat_left_unresolved_stays_in_the_queue_as_a_ticket(widget, agent):
    actions.do_set_agent_state(agent, AgentState.AVAILABLE)
    chat = _chat(widget)
    response = client_for(agent).post(
        f"/chat/{chat.pk}/close/",
        {"resolution": "follow_up", "reason": "Needs the developers; we will write."},
    )
    assert response.status_code == 302
    chat.ticket.refresh_from_db()
    assert chat.ticket.status in (Status.NEW, Status.OPEN) and chat.ticket.assignee_id == agent.pk
    notes = chat.ticket.messages.filter(kind="note").values_list("body_text", flat=True)
    assert any("Needs the developers" in note for note in notes)


def test_a_chat_is_transferred_and_an_internal_note_never_reaches_the_visitor(
    widget, agent, head_of_support
):
    actions.do_set_agent_state(agent, AgentState.AVAILABLE)
    chat = _chat(widget)
    client = client_for(agent)
    client.post(f"/chat/{chat.pk}/reply/", {"body": "Zapytam kolegę", "kind": "note"})
    assert actions.visitor_messages(chat.visitor) == [
        actions.message_payload(chat.ticket.messages.order_by("id").first())
    ]
    response = client.post(f"/chat/{chat.pk}/transfer/", {"agent": head_of_support.pk})
    assert response.status_code == 302
    chat.refresh_from_db()
    assert chat.agent_id == head_of_support.pk
    chat.ticket.refresh_from_db()
    assert chat.ticket.assignee_id == head_of_support.pk


def test_an_agent_sees_only_the_chats_of_their_teams_and_a_customer_none(widget, agent, customer):
    from carebase.core.roles import Role

    billing = Team.objects.create(name="Billing", slug="billing")
    widget.team = billing
    widget.save()
    chat = _chat(widget)
    outsider = make_user("outsider", Role.SUPPORT_AGENT)
    Team.objects.create(name="Other", slug="other").members.add(outsider)
    assert client_for(outsider).get(f"/chat/{chat.pk}/").status_code == 404
    assert client_for(outsider).post(f"/chat/{chat.pk}/take/").status_code == 404
    billing.members.add(agent)
    assert client_for(agent).get(f"/chat/{chat.pk}/").status_code == 200
    assert client_for(customer).get("/chat/").status_code == 403
    assert client_for(customer).get(f"/chat/{chat.pk}/").status_code == 403


def test_admins_set_up_a_widget_with_its_sites_and_get_its_snippet(admin, agent):
    client = client_for(admin)
    response = client.post(
        "/chat/widgets/new/",
        {
            "name": "Sklep",
            "allowed_origins": "https://Shop.example/\nnot a site",
            "ask_identity": "during",
            "greeting_en": "Hello",
            "greeting_pl": "Cześć",
        },
    )
    assert response.status_code == 422
    assert "is not a site" in response.content.decode()
    assert not Widget.objects.exists()
    response = client.post(
        "/chat/widgets/new/",
        {
            "name": "Sklep",
            "allowed_origins": "https://Shop.example/\nhttp://localhost:8000",
            "ask_identity": "during",
            "greeting_en": "Hello",
            "greeting_pl": "Cześć",
        },
    )
    widget = Widget.objects.get()
    assert widget.allowed_origins == ["https://shop.example", "http://localhost:8000"]
    page = client.get(response["Location"]).content.decode()
    assert f"data-key=&quot;{widget.key}&quot;" in page and "/chat/widget.js" in page
    assert client.get(f"/chat/widgets/{widget.pk}/try/").status_code == 200
    assert client_for(agent).get("/chat/widgets/").status_code == 403
    assert client_for(agent).post("/chat/widgets/new/", {"name": "x"}).status_code == 403


def test_the_widget_script_speaks_both_languages(client):
    response = client.get("/chat/widget.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    script = response.content.decode()
    assert '"open": "Chat with us"' in script
    assert '"open": "Napisz do nas"' in script
    assert "/*STRINGS*/" not in script


def test_a_colleague_asked_for_advice_follows_the_chat_in_notes_the_visitor_never_sees(
    widget, agent
):
    from carebase.core.roles import Role

    actions.do_set_agent_state(agent, AgentState.AVAILABLE)
    chat = _chat(widget)
    billing = Team.objects.create(name="Billing", slug="billing")
    mentor = make_user("mentor", Role.MENTOR)
    billing.members.add(mentor)
    chat.ticket.team = billing
    chat.ticket.save()
    outsider = make_user("outsider2", Role.SUPPORT_AGENT)
    Team.objects.create(name="Other", slug="other2").members.add(outsider)
    assert client_for(outsider).get(f"/chat/{chat.pk}/").status_code == 404
    response = client_for(agent).post(f"/chat/{chat.pk}/invite/", {"agent": outsider.pk})
    assert response.status_code == 302
    assert chat.invited.filter(pk=outsider.pk).exists()
    # Asked in, they see the chat and write in its internal notes.
    assert client_for(outsider).get(f"/chat/{chat.pk}/").status_code == 200
    client_for(outsider).post(
        f"/chat/{chat.pk}/reply/", {"body": "Sprawdź ustawienia SSO", "kind": "note"}
    )
    notes = chat.ticket.messages.filter(kind="note").values_list("body_text", flat=True)
    assert "Sprawdź ustawienia SSO" in notes
    assert "Sprawdź ustawienia SSO" not in [
        m["text"] for m in actions.visitor_messages(chat.visitor)
    ]
    assert actions._agents_of(chat) == {agent.pk, outsider.pk}


def test_a_chat_transferred_to_a_team_goes_to_its_available_agent(widget, agent):
    from carebase.core.roles import Role

    actions.do_set_agent_state(agent, AgentState.AVAILABLE)
    chat = _chat(widget)
    billing = Team.objects.create(name="Billing", slug="billing")
    accountant = make_user("ksiegowa", Role.SUPPORT_AGENT)
    billing.members.add(accountant)
    response = client_for(agent).post(f"/chat/{chat.pk}/transfer/", {"agent": f"team:{billing.pk}"})
    assert response.status_code == 302
    chat.refresh_from_db()
    # Nobody of the team is available: it waits in their queue.
    assert (chat.status, chat.agent_id, chat.ticket.team_id) == (
        ChatStatus.WAITING,
        None,
        billing.pk,
    )
    actions.do_set_agent_state(accountant, AgentState.AVAILABLE)
    actions.route_waiting_chats()
    chat.refresh_from_db()
    assert chat.agent_id == accountant.pk
