"""Chats over the REST API: what an agent may list and read, taking and
closing by the rules, one's chat status; all in the OpenAPI schema."""

import pytest

from carebase.accounts.models import Team
from carebase.chat import actions
from carebase.chat.models import Chat, ChatStatus, Widget
from carebase.core.roles import Role
from carebase.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat():
    widget = Widget.objects.create(name="Sklep", allowed_origins=["https://shop.example"])
    visitor = actions.do_start_visitor(widget)
    actions.do_receive_visitor_message(visitor, client_id="1", text="Czy jest API do nagrań?")
    return Chat.objects.get()


def test_an_agent_sets_their_status_takes_and_closes_a_chat(api_as, agent, chat):
    api = api_as(agent)
    assert api.get("/chat/status").json() == {"state": "offline", "max_chats": 3}
    response = api.put("/chat/status", {"state": "available", "max_chats": 25})
    assert response.status_code == 422
    response = api.put("/chat/status", {"state": "available", "max_chats": 4})
    assert response.json() == {"state": "available", "max_chats": 4}
    listed = api.get("/chats", status="waiting").json()["items"]
    assert [item["id"] for item in listed] == [chat.pk]
    assert listed[0]["awaits_answer"] is True
    taken = api.post(f"/chats/{chat.pk}/take").json()
    assert (taken["status"], taken["agent"]) == ("active", agent.pk)
    refused = api.post(f"/chats/{chat.pk}/close", {"resolution": "resolved"})
    assert refused.status_code == 422 and "has no answer" in refused.json()["detail"]
    assert api.post(f"/chats/{chat.pk}/close", {"resolution": "maybe"}).status_code == 422
    closed = api.post(
        f"/chats/{chat.pk}/close", {"resolution": "follow_up", "reason": "Zapytam zespół API"}
    ).json()
    assert (closed["status"], closed["resolution"]) == (ChatStatus.CLOSED, "follow_up")
    assert api.get("/chats", agent="me").json()["items"][0]["id"] == chat.pk


def test_chats_of_other_teams_and_customers_see_nothing(api_as, chat, customer):
    team = Team.objects.create(name="Billing", slug="billing")
    chat.widget.team = team
    chat.widget.save()
    chat.ticket.team = team
    chat.ticket.save()
    outsider = make_user("outsider", Role.SUPPORT_AGENT)
    Team.objects.create(name="Other", slug="other").members.add(outsider)
    assert api_as(outsider).get("/chats").json()["items"] == []
    assert api_as(outsider).get(f"/chats/{chat.pk}").status_code == 404
    assert api_as(outsider).post(f"/chats/{chat.pk}/take").status_code == 404
    assert api_as(customer).get("/chats").status_code == 403


def test_the_chat_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/chats",
        "/api/v1/chats/{chat_id}",
        "/api/v1/chats/{chat_id}/close",
        "/api/v1/chat/status",
    ):
        assert path in paths
