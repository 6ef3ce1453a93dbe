"""SLA clocks walked through a night, a weekend, a holiday and a pending
stretch with time frozen: the first response is due in business time, is
achieved by the agent's reply, the next update starts, pauses while the
customer is asked, and the sweep records a breach once, with its
escalation, however often it runs. The ticket API shows the clocks."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from carebase.tickets.models import EventKind, TicketEvent
from carebase.workflow.models import Notice, SlaClock
from carebase.workflow.policies import PolicyData, do_save_policy
from carebase.workflow.sweep import sweep

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
            targets={
                ("first_response", "normal"): 120,
                ("next_update", "normal"): 240,
                ("resolution", "normal"): 960,
            },
            warning_minutes=30,
            escalations=[("breach", "", "notify_assignee")],
        ),
        actor=None,
    )


def _sla(api, ticket_id):
    return {item["target"]: item for item in api.get(f"/tickets/{ticket_id}").json()["sla"]}


def test_clocks_walk_through_a_weekend_a_reply_and_a_pending_stretch(policy, api_as, agent):
    api = api_as(agent)
    # Wednesday 23 Dec 2026, 15:00: one business hour left that day; 24 Dec
    # (a Polish public holiday since 2025), 25 and 26 are closed.
    with time_machine.travel(at(2026, 12, 23, 15, 0), tick=False):
        made = api.post(
            "/tickets",
            {
                "subject": "Nie działa",
                "body": "Proszę o pomoc",
                "requester": {"email": "jan@acme.pl", "name": "Jan"},
                "assignee": agent.pk,
            },
        ).json()
        clocks = _sla(api, made["id"])
        assert set(clocks) == {"first_response", "resolution"}
        # 1 h on Wednesday, then 24, 25, 26 (holidays), the weekend: Monday 28th, 09:00.
        assert datetime.fromisoformat(clocks["first_response"]["due_at"]) == at(2026, 12, 28, 9, 0)
        assert clocks["first_response"]["state"] == "running"

    with time_machine.travel(at(2026, 12, 28, 8, 30), tick=False):
        reply = api.post(f"/tickets/{made['id']}/messages", {"body": "Sprawdzamy.", "public": True})
        assert reply.status_code == 201, reply.json()
        clocks = _sla(api, made["id"])
        assert clocks["first_response"]["state"] == "achieved"
        assert clocks["next_update"]["state"] == "running"
        assert datetime.fromisoformat(clocks["next_update"]["due_at"]) == at(2026, 12, 28, 12, 30)

    # Asked the customer at 10:30 (2 h used); pending until Tuesday 09:00.
    with time_machine.travel(at(2026, 12, 28, 10, 30), tick=False):
        assert api.patch(f"/tickets/{made['id']}", {"status": "pending"}).status_code == 200
        clocks = _sla(api, made["id"])
        assert clocks["next_update"]["state"] == "paused"
        assert clocks["next_update"]["due_at"] is None
        assert clocks["resolution"]["state"] == "paused"
    with time_machine.travel(at(2026, 12, 29, 9, 0), tick=False):
        assert api.patch(f"/tickets/{made['id']}", {"status": "open"}).status_code == 200
        clocks = _sla(api, made["id"])
        # The 2 h left run on from 09:00.
        assert datetime.fromisoformat(clocks["next_update"]["due_at"]) == at(2026, 12, 29, 11, 0)

    # Past the deadline: the sweep records it once, and tells the assignee once.
    with time_machine.travel(at(2026, 12, 29, 11, 5), tick=False):
        assert _sla(api, made["id"])["next_update"]["state"] == "breached"
        first = sweep()
        again = sweep()
        assert (first.breached, again.breached) == (1, 0)
    breaches = TicketEvent.objects.filter(ticket=made["id"], kind=EventKind.SLA_BREACHED)
    assert list(breaches.values_list("new_value", flat=True)) == ["next_update"]
    assert TicketEvent.objects.filter(ticket=made["id"], kind=EventKind.ESCALATED).count() == 1
    assert list(Notice.objects.values_list("user", flat=True)) == [agent.pk]

    # Solved: the resolution is measured, the open next update no longer counts.
    with time_machine.travel(at(2026, 12, 29, 12, 0), tick=False):
        api.patch(f"/tickets/{made['id']}", {"status": "solved"})
        clocks = _sla(api, made["id"])
        assert clocks["resolution"]["state"] == "achieved"
        assert clocks["next_update"]["state"] == "breached"
        assert clocks["next_update"]["stopped_at"] is not None


def test_a_changed_policy_applies_to_new_clocks_and_leaves_running_ones(
    policy, api_as, head_of_support, agent
):
    api = api_as(agent)
    with time_machine.travel(at(2026, 12, 7, 9, 0), tick=False):
        old = api.post(
            "/tickets",
            {"subject": "A", "body": "b", "requester": {"email": "a@acme.pl", "name": "A"}},
        ).json()
        changed = api_as(head_of_support).put(
            f"/sla-policies/{policy.pk}",
            {
                "name": "Standard",
                "targets": [{"metric": "first_response", "priority": "normal", "minutes": 30}],
            },
        )
        assert changed.status_code == 200, changed.json()
        new = api.post(
            "/tickets",
            {"subject": "B", "body": "b", "requester": {"email": "b@acme.pl", "name": "B"}},
        ).json()
    assert _sla(api, old["id"])["first_response"]["minutes"] == 120
    assert _sla(api, new["id"])["first_response"]["minutes"] == 30
    assert SlaClock.objects.count() == 3  # old: first response + resolution; new: one


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"targets": [{"metric": "first_response", "priority": "normal", "minutes": 0}]}, "zero"),
        ({"targets": []}, "at least one"),
        ({"conditions": {"channel": ["fax"]}}, "is not one of"),
    ],
)
def test_a_policy_that_cannot_measure_is_refused_and_nothing_is_saved(
    api_as, head_of_support, change, says
):
    payload = {
        "name": "Broken",
        "targets": [{"metric": "first_response", "priority": "normal", "minutes": 60}],
        **change,
    }
    response = api_as(head_of_support).post("/sla-policies", payload)
    assert response.status_code == 422
    assert says in str(response.json()["detail"])
    assert api_as(head_of_support).get("/sla-policies").json()["items"] == []


def test_an_agent_reads_policies_but_does_not_write_them(api_as, agent, policy):
    assert [p["name"] for p in api_as(agent).get("/sla-policies").json()["items"]] == ["Standard"]
    assert api_as(agent).delete(f"/sla-policies/{policy.pk}").status_code == 403
