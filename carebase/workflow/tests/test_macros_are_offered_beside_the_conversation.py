"""The conversation page's Macros card: shown to those who work the
conversation while it is open; its search answers the caller's macros
whatever the case and Polish letters, the requester's language first; the
chosen one is applied and its text comes back for the composer."""

import pytest

from carebase.core.roles import Role
from carebase.testing import client_for, make_user
from carebase.tickets.actions import do_change_status
from carebase.tickets.models import EventKind, Status, TicketEvent
from carebase.workflow.tests.macro_helpers import conversation, macro, requester

pytestmark = pytest.mark.django_db


def test_the_card_is_beside_an_open_conversation_for_those_who_work_it(agent, mentor):
    ticket = conversation()
    page = client_for(agent).get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'id="macro-picker"' in page and f"/workflow/macros/pick/{ticket.pk}/" in page
    do_change_status(ticket, Status.SOLVED, actor=agent)
    do_change_status(ticket, Status.CLOSED, actor=agent)
    assert (
        'id="macro-picker"' not in client_for(agent).get(f"/tickets/{ticket.pk}/").content.decode()
    )


def test_the_search_finds_the_callers_macros_in_the_requesters_language_first(
    agent, django_assert_max_num_queries
):
    colleague = make_user("ola", Role.SUPPORT_AGENT)
    ticket = conversation(requester("John Smith", email="john@example.com", language="en"))
    macro(agent, "Zgłoszenie przyjęte", "Dzień dobry {{ contact.first_name }}, przyjęliśmy.")
    macro(agent, "Request received", "Hello {{ contact.first_name }}, got it.", language="en")
    macro(agent, "Solved", "Glad it works.", language="en", set_status="solved")
    macro(colleague, "Zgłoszenie cudze", "Nie dla Piotra.")
    client = client_for(agent)
    with django_assert_max_num_queries(8):
        found = client.get(f"/workflow/macros/pick/{ticket.pk}/").json()["items"]
    assert [item["name"] for item in found] == ["Request received", "Solved", "Zgłoszenie przyjęte"]
    assert found[0]["preview"] == "Hello John, got it."
    assert found[1]["changes"] == ["Status: Solved"] and found[0]["shared"] == "Personal"

    found = client.get(f"/workflow/macros/pick/{ticket.pk}/", {"q": "ZGLOSZ"}).json()["items"]
    assert [item["name"] for item in found] == ["Zgłoszenie przyjęte"]
    found = client.get(f"/workflow/macros/pick/{ticket.pk}/", {"q": "przyjeli dzien"}).json()
    assert [item["name"] for item in found["items"]] == ["Zgłoszenie przyjęte"]


def test_choosing_a_macro_applies_it_and_answers_its_text(agent):
    ticket = conversation()
    made = macro(
        agent,
        "Konfiguracja gotowa",
        "{{ contact.first_name }}, konfiguracja gotowa.",
        set_status="solved",
        add_tags=["konfiguracja"],
    )
    client = client_for(agent)
    answer = client.post(f"/workflow/macros/{made.pk}/apply/{ticket.pk}/")
    assert answer.status_code == 200
    assert answer.json() == {
        "text": "Łucja, konfiguracja gotowa.",
        "changed": {"status": "solved", "tags": ["konfiguracja"]},
        "summary": ["Status: Solved", "Tags: +konfiguracja"],
    }
    assert TicketEvent.objects.filter(
        ticket=ticket, kind=EventKind.STATUS_CHANGED, new_value="solved", actor=agent
    ).exists()
    ticket.refresh_from_db()
    do_change_status(ticket, Status.CLOSED, actor=agent)
    refused = client.post(f"/workflow/macros/{made.pk}/apply/{ticket.pk}/")
    assert refused.status_code == 409 and "is closed" in refused.json()["detail"]
    assert client.get(f"/workflow/macros/{made.pk}/apply/{ticket.pk}/").status_code == 405


def test_nobody_picks_or_applies_another_persons_macro(agent, customer):
    ticket = conversation()
    made = macro(agent, "Pilne", set_priority="urgent")
    colleague = client_for(make_user("ola", Role.SUPPORT_AGENT))
    assert colleague.get(f"/workflow/macros/pick/{ticket.pk}/").json() == {"items": []}
    assert colleague.post(f"/workflow/macros/{made.pk}/apply/{ticket.pk}/").status_code == 404
    stranger = client_for(customer)
    assert stranger.get(f"/workflow/macros/pick/{ticket.pk}/").status_code == 404
    assert stranger.post(f"/workflow/macros/{made.pk}/apply/{ticket.pk}/").status_code == 404
    ticket.refresh_from_db()
    assert ticket.priority == "normal"
