"""A calendar that serves an organization tier goes before the team's: on a
Saturday a strategic client's first-response clock runs at once on the
tier's 24/7 calendar, while a standard client's, on the same team, waits
for the team's Monday. The clock keeps the calendar it started on."""

import pytest
import time_machine

from carebase.workflow.models import SlaClock
from carebase.workflow.policies import PolicyData, do_save_policy
from carebase.workflow.tests.tier_calendar_helpers import (
    SATURDAY,
    arrive,
    at,
    calendar,
    client_of,
    due,
    team_on,
)

pytestmark = pytest.mark.django_db


def test_a_strategic_clients_clock_runs_on_saturday_and_a_standard_clients_waits(
    settings, api_as, agent
):
    settings.BUSINESS_HOURS = "mon-fri 08:00-16:00"
    team = team_on("mon-fri 09:00-17:00")
    team.members.add(agent)
    premium = calendar("Premium 24/7", "mon-sun 00:00-24:00", tiers=["strategic", "key"])
    do_save_policy(
        PolicyData(name="Standard", targets={("first_response", "normal"): 120}), actor=None
    )
    strategic = client_of("strategic", "ewa@acme.example")
    standard = client_of("standard", "jan@kowalski.example")
    api = api_as(agent)

    with time_machine.travel(at(*SATURDAY, 10, 0), tick=False):
        top = arrive(api, strategic, team=team.pk)
        other = arrive(api, standard, team=team.pk)

    assert due(api, top["id"], "first_response") == at(*SATURDAY, 12, 0)
    # The team's hours: Monday 8 March from 09:00, two hours.
    assert due(api, other["id"], "first_response") == at(2027, 3, 8, 11, 0)
    assert SlaClock.objects.get(ticket=top["id"]).calendar == premium
    assert SlaClock.objects.get(ticket=other["id"]).calendar == team.calendar


def test_a_top_tier_client_without_a_team_is_on_the_tiers_calendar_too(settings, api_as, agent):
    settings.BUSINESS_HOURS = "mon-fri 08:00-16:00"
    calendar("Premium 24/7", "mon-sun 00:00-24:00", tiers=["key"])
    do_save_policy(
        PolicyData(name="Standard", targets={("first_response", "normal"): 120}), actor=None
    )
    key = client_of("key", "ola@nowak.example")
    small = client_of("small", "adam@sklep.example")
    api = api_as(agent)
    with time_machine.travel(at(*SATURDAY, 23, 30), tick=False):
        top = arrive(api, key)
        other = arrive(api, small)
    assert due(api, top["id"], "first_response") == at(2027, 3, 7, 1, 30)
    # The desk's default hours: Monday from 08:00.
    assert due(api, other["id"], "first_response") == at(2027, 3, 8, 10, 0)
