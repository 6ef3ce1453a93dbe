"""The rules' "business hours" condition asks the same calendar as the
clocks: the tier's before the team's, the team's before the desk's. On a
Saturday morning an "out of hours: low priority" rule leaves a strategic
client (24/7 tier) and a standard client (the team works Saturdays) alone,
and lowers a small client's whose tier calendar is closed at weekends."""

import pytest
import time_machine

from carebase.workflow.tests.tier_calendar_helpers import (
    SATURDAY,
    arrive,
    at,
    calendar,
    client_of,
    team_on,
)

pytestmark = pytest.mark.django_db


def test_the_out_of_hours_rule_reads_the_tiers_calendar_first(
    settings, api_as, head_of_support, agent
):
    settings.BUSINESS_HOURS = "mon-fri 08:00-16:00"
    team = team_on("mon-sun 08:00-20:00")
    team.members.add(agent)
    calendar("Premium 24/7", "mon-sun 00:00-24:00", tiers=["strategic"])
    calendar("Mali klienci", "mon-fri 09:00-15:00", tiers=["small"])
    rule = api_as(head_of_support).post(
        "/rules",
        {
            "kind": "priority",
            "name": "Out of hours",
            "conditions": {"business_hours": False},
            "set_priority": "low",
        },
    )
    assert rule.status_code == 201, rule.json()
    api = api_as(agent)
    with time_machine.travel(at(*SATURDAY, 10, 0), tick=False):
        strategic = arrive(api, client_of("strategic", "ewa@acme.example"), team=team.pk)
        standard = arrive(api, client_of("standard", "jan@kowalski.example"), team=team.pk)
        small = arrive(api, client_of("small", "adam@sklep.example"), team=team.pk)
    assert (strategic["priority"], standard["priority"], small["priority"]) == (
        "normal",
        "normal",
        "low",
    )

    with time_machine.travel(at(*SATURDAY, 3, 0), tick=False):
        night = arrive(api, client_of("strategic", "piotr@acme.example"), team=team.pk)
        night_standard = arrive(api, client_of("standard", "ala@kot.example"), team=team.pk)
    assert (night["priority"], night_standard["priority"]) == ("normal", "low")
