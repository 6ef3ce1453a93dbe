"""The inbox's default order is the urgency score (priority and the nearest
SLA deadline), not priority alone: a high request due in ten minutes comes
before an urgent one due tomorrow. Each row says how long its most pressing
clock has left, in the clock's colour, and a priority changed by hand moves
a conversation without clocks too."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from carebase.tickets.actions import do_add_reply, do_change_priority
from carebase.tickets.models import Ticket
from carebase.workflow.models import SlaClock
from carebase.workflow.policies import PolicyData, do_save_policy
from carebase.workflow.sla import clock_text, duration_text

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")


def at(*args):
    return datetime(*args, tzinfo=WARSAW)


@pytest.fixture
def policy(settings):
    settings.BUSINESS_HOURS = "mon-fri 08:00-16:00"
    return do_save_policy(
        PolicyData(
            name="Standard",
            conditions={"channel": ["email", "api"]},
            targets={
                ("first_response", "urgent"): 60 * 16,
                ("first_response", "high"): 60,
                ("first_response", "normal"): 240,
            },
            warning_minutes=30,
        ),
        actor=None,
    )


def _open(api, subject, priority, channel="api"):
    response = api.post(
        "/tickets",
        {
            "subject": subject,
            "body": "Proszę o pomoc.",
            "requester": {"email": "jan@acme.pl", "name": "Jan"},
            "priority": priority,
            "channel": channel,
        },
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _subjects_in_order(page):
    return re.findall(r'<a href="/tickets/\d+/">([^<#]+)</a>', page)


def test_the_nearest_deadline_weighed_by_priority_leads_the_inbox(
    policy, api_as, head_of_support, client
):
    api = api_as(head_of_support)
    client.force_login(head_of_support)
    # Monday 7 Dec 2026.
    with time_machine.travel(at(2026, 12, 7, 8, 0), tick=False):
        # Urgent: due in 16 business hours (Tuesday 16:00), less 8 h of lead.
        _open(api, "Urgent but due tomorrow", "urgent")
    with time_machine.travel(at(2026, 12, 7, 9, 0), tick=False):
        # High: due 10:00, less 4 h of lead.
        _open(api, "High and due soon", "high")
        # No policy for chat: arrival plus three days, no lead.
        _open(api, "Chat without a clock", "normal", channel="chat")
        # Normal: due 13:00.
        _open(api, "Normal, due at one", "normal")

    with time_machine.travel(at(2026, 12, 7, 9, 40), tick=False):
        page = client.get("/tickets/", {"queue": "all"}).content.decode()
    assert _subjects_in_order(page) == [
        "High and due soon",
        "Normal, due at one",
        "Urgent but due tomorrow",
        "Chat without a clock",
    ]
    # Each row's most pressing clock: amber under the 30 minutes' warning.
    assert re.search(r'class="sla-note sla-amber"[^>]*>20 min left<', page)
    assert re.search(r'class="sla-note sla-ok"[^>]*>3 h 20 min left<', page)

    with time_machine.travel(at(2026, 12, 7, 10, 5), tick=False):
        page = client.get("/tickets/", {"queue": "all"}).content.decode()
    assert re.search(r'class="sla-note sla-red"[^>]*>overdue 5 min<', page)


def test_a_priority_changed_by_hand_moves_a_conversation_without_clocks(
    api_as, head_of_support, client
):
    api = api_as(head_of_support)
    client.force_login(head_of_support)
    with time_machine.travel(at(2026, 12, 7, 8, 0), tick=False):
        first = _open(api, "Older, normal", "normal")
    with time_machine.travel(at(2026, 12, 7, 9, 0), tick=False):
        later = _open(api, "Newer, normal", "normal")
        assert _subjects_in_order(client.get("/tickets/", {"queue": "all"}).content.decode()) == [
            "Older, normal",
            "Newer, normal",
        ]
        do_change_priority(Ticket.objects.get(pk=later), "high", actor=head_of_support)
        assert _subjects_in_order(client.get("/tickets/", {"queue": "all"}).content.decode()) == [
            "Newer, normal",
            "Older, normal",
        ]
        do_change_priority(Ticket.objects.get(pk=later), "normal", actor=head_of_support)
        tickets = Ticket.objects.in_bulk([first, later])
        assert tickets[later].urgency_at - tickets[first].urgency_at == (
            tickets[later].created_at - tickets[first].created_at
        )


def test_what_waits_for_the_customer_sinks_until_they_answer(policy, api_as, agent, client):
    api = api_as(agent)
    client.force_login(agent)
    with time_machine.travel(at(2026, 12, 7, 8, 0), tick=False):
        asked = _open(api, "Asked for a log", "high")
        _open(api, "Normal, due at noon", "normal")
    with time_machine.travel(at(2026, 12, 7, 8, 30), tick=False):
        assert api.patch(f"/tickets/{asked}", {"status": "pending"}).status_code == 200
        assert _subjects_in_order(client.get("/tickets/", {"queue": "all"}).content.decode()) == [
            "Normal, due at noon",
            "Asked for a log",
        ]
    with time_machine.travel(at(2026, 12, 7, 9, 0), tick=False):
        ticket = Ticket.objects.get(pk=asked)
        do_add_reply(ticket, body="Here it is.", author_contact=ticket.requester)
        page = client.get("/tickets/", {"queue": "all"}).content.decode()
    # Open again, its first response clock runs on (30 min of 60 used): amber,
    # at the policy's 30 minutes' warning.
    assert _subjects_in_order(page) == ["Asked for a log", "Normal, due at noon"]
    assert re.search(r'class="sla-note sla-amber"[^>]*>30 min left<', page)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 min"),
        (59, "0 min"),
        (45 * 60, "45 min"),
        (3 * 3600, "3 h"),
        (3 * 3600 + 20 * 60 + 59, "3 h 20 min"),
        (30 * 3600 + 5 * 60, "30 h 5 min"),  # never days: whose days?
    ],
)
def test_time_left_is_read_at_a_glance(seconds, text):
    assert duration_text(seconds) == text


@pytest.mark.parametrize(
    ("due", "text"),
    [
        (at(2026, 12, 7, 10, 20), "20 min left"),
        (at(2026, 12, 8, 9, 59), "23 h 59 min left"),
        (at(2026, 12, 9, 14, 0), "due 9 Dec, 14:00"),
        (at(2026, 12, 7, 8, 55), "overdue 1 h 5 min"),
        (at(2026, 12, 3, 16, 0), "overdue since 3 Dec"),
    ],
)
def test_a_day_or_more_away_is_said_by_its_date(due, text, settings):
    settings.TIME_ZONE = "Europe/Warsaw"
    clock = SlaClock(state="running", due_at=due, business_hours=False, metric="first_response")
    assert clock_text(clock, at(2026, 12, 7, 10, 0)) == text
