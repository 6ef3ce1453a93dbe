"""Applying a macro to a conversation over the API: its status, type and
priority change and its tags are added, each change an event on the
conversation's timeline by the agent; the answer holds the text and what
changed; the use is counted. A closed conversation refuses it; a
conversation or macro the agent does not see is not found."""

import pytest
import time_machine

from carebase.core.roles import Role
from carebase.testing import make_user
from carebase.tickets.actions import do_change_status, do_set_tags
from carebase.tickets.models import EventKind, Status, TicketEvent
from carebase.workflow.models import Macro
from carebase.workflow.tests.macro_helpers import conversation, macro, team

pytestmark = pytest.mark.django_db

ASK_FOR_LOGS = (
    "Dzień dobry {{ contact.first_name }},\n"
    "prosimy o identyfikator połączenia z {{ ticket.reference }}.\n{{ agent.name }}"
)


@time_machine.travel("2026-03-02 10:00 +01:00", tick=False)
def test_the_fields_change_with_events_and_the_text_comes_back(api_as, agent):
    ticket = conversation()
    do_set_tags(ticket, ["voip"], actor=agent)
    made = macro(
        agent,
        "Prośba o logi",
        ASK_FOR_LOGS,
        set_status="pending",
        set_type="problem",
        set_priority="high",
        add_tags=["logi", "voip"],
    )
    response = api_as(agent).post(f"/tickets/{ticket.pk}/macros/{made.pk}")
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "macro": made.pk,
        "ticket": ticket.pk,
        "text": f"Dzień dobry Łucja,\nprosimy o identyfikator połączenia z #{ticket.pk}.\n"
        "Piotr Agent",
        "changed": {
            "status": "pending",
            "type": "problem",
            "priority": "high",
            "tags": ["logi", "voip"],
        },
    }
    ticket.refresh_from_db()
    assert (ticket.status, ticket.type, ticket.priority) == ("pending", "problem", "high")
    events = {
        event.kind: (event.old_value, event.new_value, event.actor_id)
        for event in TicketEvent.objects.filter(ticket=ticket, actor=agent)
    }
    assert events[EventKind.STATUS_CHANGED] == ("new", "pending", agent.pk)
    assert events[EventKind.TYPE_CHANGED] == ("question", "problem", agent.pk)
    assert events[EventKind.PRIORITY_CHANGED] == ("normal", "high", agent.pk)
    assert events[EventKind.TAGS_CHANGED] == ("voip", "logi,voip", agent.pk)
    made.refresh_from_db()
    assert made.usage_count == 1 and made.last_used_at.isoformat() == "2026-03-02T09:00:00+00:00"

    # Again: nothing left to change, the text again, the use counted again.
    again = api_as(agent).post(f"/tickets/{ticket.pk}/macros/{made.pk}").json()
    assert again["changed"] == {} and again["text"].startswith("Dzień dobry Łucja")
    assert TicketEvent.objects.filter(ticket=ticket, actor=agent).count() == 5
    assert Macro.objects.get(pk=made.pk).usage_count == 2


def test_a_closed_conversation_refuses_a_macro_and_nothing_changes(api_as, agent):
    ticket = conversation()
    do_change_status(ticket, Status.SOLVED, actor=agent)
    do_change_status(ticket, Status.CLOSED, actor=agent)
    before = TicketEvent.objects.count()
    for made in (
        macro(agent, "Pilne", set_priority="urgent"),
        macro(agent, "Tylko tekst", "Dziękujemy."),
    ):
        response = api_as(agent).post(f"/tickets/{ticket.pk}/macros/{made.pk}")
        assert response.status_code == 409
        assert response.json()["detail"] == (
            f"#{ticket.pk} is closed and cannot change; a new reply starts a follow-up."
        )
    ticket.refresh_from_db()
    assert ticket.priority == "normal" and TicketEvent.objects.count() == before
    assert set(Macro.objects.values_list("usage_count", flat=True)) == {0}


def test_a_conversation_or_macro_out_of_sight_is_not_found(api_as, agent, customer):
    colleague = make_user("ola", Role.SUPPORT_AGENT)
    team("wsparcie", agent)
    elsewhere = conversation(team=team("sukces", colleague))
    mine = conversation()
    own = macro(agent, "Pilne", set_priority="urgent")
    private = macro(colleague, "Cudze", set_priority="low")
    api = api_as(agent)
    assert api.post(f"/tickets/{elsewhere.pk}/macros/{own.pk}").status_code == 404
    assert api.post(f"/tickets/{mine.pk}/macros/{private.pk}").status_code == 404
    assert api.post(f"/tickets/{mine.pk}/macros/987654").status_code == 404
    assert api_as(customer).post(f"/tickets/{mine.pk}/macros/{own.pk}").status_code in (403, 404)
    for ticket in (elsewhere, mine):
        ticket.refresh_from_db()
        assert ticket.priority == "normal"
    assert Macro.objects.get(pk=own.pk).usage_count == 0
