"""The demo sweeps its clocks once, as the worker would: the conversations
nobody answered in time have their breaches on the timeline and SLA notices
for the support lead, who finds them on her home page even on a Monday
before work. It emails nobody, and a second run adds nothing."""

from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from carebase.accounts.models import User
from carebase.testing import client_for
from carebase.tickets.models import EventKind, TicketEvent
from carebase.workflow.models import Notice
from carebase.workflow.tests.notice_helpers import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]

# Monday 7:00: the weekend and the night have not counted on the business-hours clocks.
MONDAY_BEFORE_WORK = at(2026, 11, 23, 7, 0)
SLA_EVENTS = (EventKind.SLA_WARNING, EventKind.SLA_BREACHED, EventKind.ESCALATED)


def _counts() -> tuple[int, int]:
    return Notice.objects.count(), TicketEvent.objects.filter(kind__in=SLA_EVENTS).count()


def test_the_head_of_support_finds_breaches_on_her_home_page_and_a_rerun_adds_none():
    with time_machine.travel(MONDAY_BEFORE_WORK, tick=False):
        call_command("demo", tickets=40, stdout=StringIO())
        counts = _counts()
        call_command("demo", tickets=40, stdout=StringIO())
        assert _counts() == counts

        head = User.objects.get(username="kasia.head")
        unread = Notice.objects.filter(user=head, read_at=None)
        assert unread.filter(moment="breach").exists()
        breached = TicketEvent.objects.filter(kind=EventKind.SLA_BREACHED)
        assert set(unread.values_list("ticket", flat=True)) <= set(
            breached.values_list("ticket", flat=True)
        )
        page = client_for(head).get("/").content.decode()
    assert 'id="sla-notices"' in page and 'data-moment="breach"' in page
    assert not [message for message in mail.outbox if "SLA" in message.subject]
