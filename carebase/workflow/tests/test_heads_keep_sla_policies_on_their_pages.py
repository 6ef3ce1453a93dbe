"""The SLA policies' pages: the head writes targets as people say them (45m,
4h, 1h 30m) in a grid of targets by priority, with escalations, reorders and
deletes policies; a target of zero, a time that is no time or a half-written
escalation comes back with the reason and nothing saved. A changed policy
leaves the running clocks as they were. Agents read, only heads write."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from carebase.crm.actions import find_or_create_contact_by_email
from carebase.testing import client_for
from carebase.tickets.actions import do_create_ticket
from carebase.workflow.models import SlaClock, SlaPolicy
from carebase.workflow.policies import PolicyData, do_save_policy

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Premium",
    "active": "on",
    "if_tier": ["strategic", "key"],
    "business_hours": "on",
    "warning": "15m",
    "target_first_response_urgent": "15m",
    "target_first_response_high": "30",
    "target_first_response_normal": "1h 30m",
    "target_resolution_normal": "1.5h",
    "target_next_update_normal": "4 h",
    "escalation_0_moment": "warning",
    "escalation_0_action": "notify_assignee",
    "escalation_1_moment": "breach",
    "escalation_1_metric": "first_response",
    "escalation_1_action": "raise_priority",
}


def _targets(policy):
    return {(t.metric, t.priority): t.minutes for t in policy.targets.all()}


def test_the_head_writes_a_policy_in_hours_and_minutes(head_of_support):
    client = client_for(head_of_support)
    assert "No SLA policy yet" in client.get("/workflow/sla-policies/").content.decode()
    response = client.post("/workflow/sla-policies/new/", FORM)
    assert response.status_code == 302, response.content.decode()
    policy = SlaPolicy.objects.get()
    assert policy.conditions == {"tier": ["strategic", "key"]}
    assert _targets(policy) == {
        ("first_response", "urgent"): 15,
        ("first_response", "high"): 30,
        ("first_response", "normal"): 90,
        ("resolution", "normal"): 90,
        ("next_update", "normal"): 240,
    }
    assert policy.warning_minutes == 15
    assert sorted(policy.escalations.values_list("moment", "metric", "action")) == [
        ("breach", "first_response", "raise_priority"),
        ("warning", "", "notify_assignee"),
    ]
    page = client.get("/workflow/sla-policies/").content.decode()
    assert "1h 30m" in page and "4h" in page and "Raise the priority one step" in page
    edit = client.get(f"/workflow/sla-policies/{policy.pk}/").content.decode()
    assert 'value="1h 30m"' in edit and 'value="15m"' in edit
    assert '<option value="raise_priority" selected>' in edit


def test_a_target_of_zero_or_no_time_is_refused_saying_why(head_of_support):
    client = client_for(head_of_support)
    zero = client.post("/workflow/sla-policies/new/", {**FORM, "target_first_response_high": "0"})
    assert zero.status_code == 422
    assert "a target of zero would be breached as the clock starts" in zero.content.decode()
    vague = client.post(
        "/workflow/sla-policies/new/", {**FORM, "target_first_response_high": "soon"}
    )
    assert vague.status_code == 422
    assert "“soon” is not a time: write 45m, 4h or 1h 30m." in vague.content.decode()
    half = client.post(
        "/workflow/sla-policies/new/", {**FORM, "escalation_2_action": "notify_head"}
    )
    assert half.status_code == 422
    assert "An escalation needs both when and what to do." in half.content.decode()
    empty = {key: value for key, value in FORM.items() if not key.startswith("target_")}
    none = client.post("/workflow/sla-policies/new/", empty)
    assert none.status_code == 422
    assert "A policy without a target measures nothing" in none.content.decode()
    assert not SlaPolicy.objects.exists()


def test_a_changed_policy_leaves_the_running_clocks_as_they_were(head_of_support, settings):
    settings.BUSINESS_HOURS = "mon-sun 00:00-24:00"
    policy = do_save_policy(
        PolicyData(name="Standard", targets={("first_response", "normal"): 60}), actor=None
    )
    contact = find_or_create_contact_by_email("jan@acme.pl", name="Jan", actor=None)
    with time_machine.travel(datetime(2026, 12, 7, 9, tzinfo=ZoneInfo("Europe/Warsaw"))):
        ticket = do_create_ticket(
            subject="Pomocy", body="…", requester=contact, channel="email", actor=None
        )
    client = client_for(head_of_support)
    response = client.post(
        f"/workflow/sla-policies/{policy.pk}/",
        {"name": "Standard", "active": "on", "target_first_response_normal": "2h", "warning": ""},
    )
    assert response.status_code == 302
    assert _targets(SlaPolicy.objects.get()) == {("first_response", "normal"): 120}
    clock = SlaClock.objects.get(ticket=ticket)
    assert clock.target_minutes == 60


def test_the_head_reorders_and_deletes_policies(head_of_support):
    first = do_save_policy(PolicyData(name="A", targets={("resolution", "low"): 60}), actor=None)
    second = do_save_policy(PolicyData(name="B", targets={("resolution", "low"): 60}), actor=None)
    client = client_for(head_of_support)
    response = client.post(f"/workflow/sla-policies/{second.pk}/move/", {"direction": "up"})
    assert response.status_code == 302
    assert list(SlaPolicy.objects.values_list("name", flat=True)) == ["B", "A"]
    assert client.post(f"/workflow/sla-policies/{first.pk}/delete/").status_code == 302
    assert list(SlaPolicy.objects.values_list("name", flat=True)) == ["B"]


def test_agents_read_policies_and_only_heads_write_them(agent, customer, outsider):
    policy = do_save_policy(
        PolicyData(name="Standard", targets={("resolution", "low"): 60}), actor=None
    )
    page = client_for(agent).get("/workflow/sla-policies/")
    assert page.status_code == 200 and "Standard" in page.content.decode()
    assert "/workflow/sla-policies/new/" not in page.content.decode()
    for person in (agent, customer, outsider):
        client = client_for(person)
        assert client.get("/workflow/sla-policies/new/").status_code == 403
        assert client.post("/workflow/sla-policies/new/", FORM).status_code == 403
        assert client.post(f"/workflow/sla-policies/{policy.pk}/delete/").status_code == 403
    for person in (customer, outsider):
        assert client_for(person).get("/workflow/sla-policies/").status_code == 403
    assert SlaPolicy.objects.count() == 1
