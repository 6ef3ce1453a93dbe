"""An SLA policy's own calendar still goes first: a strategic client's
clocks under a policy with its own hours run on those, not on the 24/7
calendar of the strategic tier. Choosing costs the tier's look-up only when
the policy leaves the choice open."""

import pytest
import time_machine

from carebase.crm.models import Organization
from carebase.tickets.models import Ticket
from carebase.workflow.models import SlaClock, SlaPolicy
from carebase.workflow.policies import PolicyData, do_save_policy
from carebase.workflow.sla import clock_calendar
from carebase.workflow.tests.tier_calendar_helpers import (
    SATURDAY,
    arrive,
    at,
    calendar,
    client_of,
    due,
)

pytestmark = pytest.mark.django_db


def test_the_policys_calendar_wins_over_the_tiers(settings, api_as, agent):
    settings.BUSINESS_HOURS = "mon-fri 08:00-16:00"
    calendar("Premium 24/7", "mon-sun 00:00-24:00", tiers=["strategic"])
    own = calendar("Dyżur premium", "mon-fri 10:00-14:00")
    do_save_policy(
        PolicyData(
            name="Premium",
            conditions={"tier": ["strategic"]},
            targets={("first_response", "normal"): 120},
            calendar=own.pk,
        ),
        actor=None,
    )
    api = api_as(agent)
    with time_machine.travel(at(*SATURDAY, 10, 0), tick=False):
        made = arrive(api, client_of("strategic", "ewa@acme.example"))
    assert due(api, made["id"], "first_response") == at(2027, 3, 8, 12, 0)
    assert SlaClock.objects.get(ticket=made["id"]).calendar == own


def test_the_tier_is_looked_up_once_and_only_when_the_policy_leaves_it_open(
    django_assert_num_queries,
):
    premium = calendar("Premium 24/7", "mon-sun 00:00-24:00", tiers=["strategic"])
    own = calendar("Dyżur premium", "mon-fri 10:00-14:00")
    # An arriving conversation, its organization at hand (the rules read it first).
    ticket = Ticket(organization=Organization.objects.create(name="Acme", tier="strategic"))
    with_own = do_save_policy(
        PolicyData(name="Own hours", targets={("first_response", "normal"): 60}, calendar=own.pk),
        actor=None,
    )
    open_choice = do_save_policy(
        PolicyData(name="Team hours", targets={("first_response", "normal"): 60}), actor=None
    )
    day_and_night = do_save_policy(
        PolicyData(
            name="Day and night",
            targets={("first_response", "normal"): 60},
            business_hours=False,
        ),
        actor=None,
    )
    with_own = SlaPolicy.objects.select_related("calendar").get(pk=with_own.pk)
    with django_assert_num_queries(0):
        assert clock_calendar(ticket, with_own) == own
        assert clock_calendar(ticket, day_and_night) is None
    with django_assert_num_queries(1):
        assert clock_calendar(ticket, open_choice) == premium
