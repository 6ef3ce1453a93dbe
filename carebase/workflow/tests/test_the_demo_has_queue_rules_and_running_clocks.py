"""The demo has the default rules, a standard and a premium SLA policy, and
its waiting conversations show running and breached clocks; seeded once."""

from io import StringIO

import pytest
from django.core.management import call_command

from carebase.accounts.models import User
from carebase.workflow.models import ClockState, Rule, SlaClock, SlaPolicy

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


def test_the_demo_seeds_rules_policies_and_clocks_once(client):
    call_command("demo", tickets=40, stdout=StringIO())
    counts = (Rule.objects.count(), SlaPolicy.objects.count(), SlaClock.objects.count())
    call_command("demo", tickets=40, stdout=StringIO())
    assert (Rule.objects.count(), SlaPolicy.objects.count(), SlaClock.objects.count()) == counts
    assert counts[0] >= 6
    assert list(SlaPolicy.objects.values_list("name", flat=True)) == [
        "Premium (strategic and key clients)",
        "Standard",
    ]
    assert SlaClock.objects.filter(state=ClockState.RUNNING).exists()
    clock = SlaClock.objects.select_related("ticket").first()
    assert clock is not None
    client.force_login(User.objects.get(username="kasia.head"))
    page = client.get(f"/tickets/{clock.ticket_id}/").content.decode()
    assert 'id="sla"' in page and clock.get_metric_display() in page
