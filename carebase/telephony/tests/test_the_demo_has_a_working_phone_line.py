"""The demo's PBX: extensions for the agents (one left to map), three
months of calls, answered and missed for every reason, linked to their
conversations, callbacks in the queue, recordings that play; seeded once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from carebase.accounts.models import User
from carebase.telephony.models import Call, Callback, Extension, Ring
from carebase.testing import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


def test_the_demo_seeds_three_months_of_calls_in_the_queue():
    call_command("demo", tickets=60, stdout=StringIO())
    calls = Call.objects.all()
    assert calls.count() > 500
    oldest = calls.order_by("started_at").first().started_at
    assert timezone.now() - oldest > timedelta(days=85)
    assert set(calls.values_list("direction", flat=True)) == {"inbound", "outbound"}
    reasons = set(calls.exclude(missed_reason="").values_list("missed_reason", flat=True))
    assert reasons == {
        "short_abandon", "out_of_hours", "no_agent", "not_answered", "abandoned_in_menu"
    }  # fmt: skip
    assert calls.filter(ticket__channel="phone", disposition="answered").exists()
    assert Callback.objects.exists()
    assert Extension.objects.filter(user__isnull=True).exists()
    assert Ring.objects.filter(answered=False).exists()
    recorded = calls.exclude(recording="").first()
    head = User.objects.get(username="kasia.head")
    response = client_for(head).get(f"/calls/{recorded.pk}/recording")
    assert response.status_code == 200 and response["Content-Type"].startswith("audio/")
    assert client_for(head).get("/calls/").status_code == 200
    assert client_for(head).get("/calls/report/").status_code == 200
    count = calls.count()
    call_command("demo", tickets=60, stdout=StringIO())
    assert Call.objects.count() == count
