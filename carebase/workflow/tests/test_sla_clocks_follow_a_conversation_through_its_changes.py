"""SLA clocks through what happens to a conversation after it arrives, with
time frozen on calendar-time policies: an escalation that cannot act does not
stop the sweep for the others, and one that raises the priority does so once;
an overdue request stays on top when it is assigned; a merge cancels clocks
rather than achieving them; a clock past its deadline when paused is breached;
a priority its sender chose survives a new type; a new type moves the clocks
to the policy that now matches, keeping the time used; the warning is at most
half a target; customers never see the desk's SLA."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from carebase.accounts.models import Team
from carebase.core.roles import Role
from carebase.crm.actions import find_or_create_contact_by_email
from carebase.testing import client_for, make_user
from carebase.tickets.actions import (
    do_assign,
    do_change_status,
    do_change_type,
    do_create_ticket,
    do_merge_tickets,
)
from carebase.tickets.models import EventKind, Ticket, TicketEvent
from carebase.workflow.models import ClockState, SlaClock
from carebase.workflow.policies import PolicyData, do_save_policy
from carebase.workflow.rules import RuleData, do_save_rule
from carebase.workflow.sweep import sweep

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=WARSAW)


def _policy(name="Standard", conditions=None, escalations=(), **targets):
    return do_save_policy(
        PolicyData(
            name=name,
            conditions=conditions or {},
            targets={tuple(key.split("__")): minutes for key, minutes in targets.items()},
            business_hours=False,
            warning_minutes=30,
            escalations=list(escalations),
        ),
        actor=None,
    )


def _open(subject="Brak nagrań", *, at=MONDAY, **fields):
    requester = find_or_create_contact_by_email("jan@acme.pl", name="Jan", actor=None)
    fields.setdefault("channel", "email")
    with time_machine.travel(at, tick=False):
        return do_create_ticket(subject=subject, body="Pomocy.", requester=requester, **fields)


def _clocks(ticket):
    return {clock.metric: clock for clock in SlaClock.objects.filter(ticket=ticket)}


def test_an_escalation_that_cannot_act_does_not_stop_the_sweep(caplog):
    michal = make_user("michal", Role.SALES)  # leads the team, works no conversations
    success = Team.objects.create(name="Renewals", slug="renewals", kind="other", lead=michal)
    _policy(
        escalations=[("breach", "", "reassign")],
        first_response__normal=60,
    )
    stuck = _open("Lead cannot take it", team=success)
    other = _open("Anyone's")
    with time_machine.travel(MONDAY + timedelta(hours=2), tick=False):
        result = sweep()
    assert result.breached == 2
    for ticket in (stuck, other):
        assert _clocks(ticket)["first_response"].state == ClockState.BREACHED
    assert Ticket.objects.get(pk=stuck.pk).assignee is None
    assert "SLA escalation reassign skipped" in caplog.text


def test_a_priority_is_raised_once_when_two_clocks_warn_together():
    _policy(
        escalations=[("warning", "", "raise_priority")],
        first_response__normal=60,
        resolution__normal=60,
        first_response__high=60,
        resolution__high=60,
    )
    ticket = _open(priority="normal")
    with time_machine.travel(MONDAY + timedelta(minutes=40), tick=False):
        sweep()
    ticket.refresh_from_db()
    assert ticket.priority == "high"
    raised = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.PRIORITY_CHANGED)
    assert raised.count() == 1
    page = client_for(make_user("kasia", Role.HEAD_OF_SUPPORT)).get(f"/tickets/{ticket.pk}/")
    assert "High: raised by an escalation." in page.content.decode()


def test_an_overdue_request_stays_on_top_when_it_is_assigned(agent):
    _policy(first_response__normal=60, resolution__normal=60 * 24 * 5)
    ticket = _open()
    due = _clocks(ticket)["first_response"].due_at
    with time_machine.travel(MONDAY + timedelta(hours=2), tick=False):
        sweep()
        do_assign(Ticket.objects.get(pk=ticket.pk), agent, actor=agent)
    assert Ticket.objects.get(pk=ticket.pk).urgency_at == due


def test_a_merged_away_conversation_achieves_nothing(agent):
    _policy(first_response__normal=60, resolution__normal=600)
    source, target = _open("Twice"), _open("Once")
    with time_machine.travel(MONDAY + timedelta(minutes=10), tick=False):
        do_merge_tickets(source, target, actor=agent)
    states = {clock.metric: clock.state for clock in _clocks(source).values()}
    assert states == {"first_response": "cancelled", "resolution": "cancelled"}
    assert not TicketEvent.objects.filter(ticket=source, kind=EventKind.SLA_ACHIEVED).exists()


def test_a_clock_past_its_deadline_when_paused_is_breached_not_achieved(agent):
    _policy(resolution__normal=60)
    ticket = _open()
    # The worker was down: nobody swept at 10:00.
    with time_machine.travel(MONDAY + timedelta(hours=3), tick=False):
        do_change_status(ticket, "pending", actor=agent)
    with time_machine.travel(MONDAY + timedelta(hours=5), tick=False):
        do_change_status(Ticket.objects.get(pk=ticket.pk), "solved", actor=agent)
    clock = _clocks(ticket)["resolution"]
    assert (clock.state, clock.breached_at) == (ClockState.BREACHED, MONDAY + timedelta(hours=1))
    assert not TicketEvent.objects.filter(ticket=ticket, kind=EventKind.SLA_ACHIEVED).exists()


def test_a_priority_its_sender_chose_survives_a_new_type(agent):
    do_save_rule(
        RuleData(
            kind="priority",
            name="Feedback: low",
            conditions={"type": ["feedback"]},
            set_priority="low",
        ),
        actor=None,
    )
    chosen = _open("Chosen", priority="urgent")
    unchosen = _open("Left to the rules")
    for ticket in (chosen, unchosen):
        do_change_type(Ticket.objects.get(pk=ticket.pk), "feedback", actor=agent)
    assert Ticket.objects.get(pk=chosen.pk).priority == "urgent"
    assert Ticket.objects.get(pk=unchosen.pk).priority == "low"
    page = client_for(agent).get(f"/tickets/{chosen.pk}/").content.decode()
    assert "Urgent: as it was filed." in page


def test_a_new_type_moves_the_clocks_to_the_policy_that_now_matches(agent):
    problems = _policy("Problems", {"type": ["problem"]}, first_response__normal=60)
    _policy("Standard", first_response__normal=240, resolution__normal=2400)
    ticket = _open()
    assert _clocks(ticket)["first_response"].target_minutes == 240
    with time_machine.travel(MONDAY + timedelta(minutes=20), tick=False):
        do_change_type(Ticket.objects.get(pk=ticket.pk), "problem", actor=agent)
    clocks = _clocks(ticket)
    first = clocks["first_response"]
    assert (first.policy, first.target_minutes, first.state) == (problems, 60, "running")
    # The 20 minutes used stay used: due at 10:00, not 10:20.
    assert first.due_at == MONDAY + timedelta(hours=1)
    assert clocks["resolution"].state == "cancelled"  # Problems sets no resolution target


def test_a_new_priority_starts_a_target_the_old_one_lacked(agent):
    from carebase.tickets.actions import do_change_priority

    _policy(resolution__low=6000, first_response__urgent=30, resolution__urgent=240)
    ticket = _open(priority="low")
    assert set(_clocks(ticket)) == {"resolution"}
    with time_machine.travel(MONDAY + timedelta(minutes=10), tick=False):
        do_change_priority(Ticket.objects.get(pk=ticket.pk), "urgent", actor=agent)
    clocks = _clocks(ticket)
    assert clocks["first_response"].due_at == MONDAY + timedelta(minutes=30)
    assert clocks["resolution"].target_minutes == 240


def test_the_warning_is_at_most_half_a_target():
    _policy(first_response__urgent=20, resolution__urgent=600)
    ticket = _open(priority="urgent")
    clocks = _clocks(ticket)
    assert (clocks["first_response"].warning_minutes, clocks["resolution"].warning_minutes) == (
        10,
        30,
    )


def test_customers_never_see_the_desks_sla(customer, api_as, head_of_support):
    _policy(first_response__normal=60)
    made = api_as(customer).post("/tickets", {"subject": "Faktura", "body": "Brak faktury."})
    assert made.status_code == 201 and made.json()["sla"] == []
    assert api_as(customer).get(f"/tickets/{made.json()['id']}").json()["sla"] == []
    staff_view = api_as(head_of_support).get(f"/tickets/{made.json()['id']}").json()
    assert [item["target"] for item in staff_view["sla"]] == ["first_response"]


def test_a_target_longer_than_the_calendar_can_hold_does_not_stop_arrival(settings):
    settings.BUSINESS_HOURS = "mon 09:00-10:00"
    do_save_policy(
        PolicyData(name="Slow", targets={("resolution", "normal"): 60 * 24 * 300}), actor=None
    )
    ticket = _open()
    assert _clocks(ticket)["resolution"].due_at > MONDAY + timedelta(days=700)
