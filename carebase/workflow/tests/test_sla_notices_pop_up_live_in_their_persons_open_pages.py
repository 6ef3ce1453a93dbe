"""When the sweep commits a notice, its person's open pages get a toast in
that person's language (one toast for several notices of one batch), and
their home panel fetches itself; marking notices read tells their other
pages. Nobody else hears of it, and the demo's quiet sweep tells no one."""

import pytest
import time_machine
from asgiref.sync import sync_to_async

from carebase.core.roles import Role
from carebase.testing import listen, make_user
from carebase.workflow.models import Notice
from carebase.workflow.notices import do_mark_notices_read
from carebase.workflow.sweep import sweep
from carebase.workflow.tests.notice_helpers import BREACHED, WARNED, conversation, policy

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.anyio,
    pytest.mark.usefixtures("close_sync_thread_connections"),
]


def _sweep(moment, *, quiet=False):
    with time_machine.travel(moment, tick=False):
        return sweep(quiet=quiet)


async def test_each_notice_pops_up_in_its_persons_language(agent, head_of_support):
    polish = await sync_to_async(make_user)("ola", Role.SUPPORT_AGENT, language="pl")
    ticket = await sync_to_async(_setup)(polish)
    hers, theirs = await listen(polish), await listen(head_of_support)

    await sync_to_async(_sweep)(WARNED)
    message = await hers.receive_json_from(timeout=2)
    assert message["event"] == "sla_notice"
    assert message["payload"]["tickets"] == [ticket.pk]
    # The target's name is in Polish (the words around it once the .po has them).
    assert f"#{ticket.pk}" in message["payload"]["toast"]
    assert "Pierwsza odpowiedź" in message["payload"]["toast"]

    await sync_to_async(_sweep)(BREACHED)
    message = await hers.receive_json_from(timeout=2)
    assert message["event"] == "sla_notice" and f"#{ticket.pk}" in message["payload"]["toast"]
    assert await theirs.receive_nothing(timeout=0.3)
    await hers.disconnect()
    await theirs.disconnect()


async def test_several_notices_of_one_sweep_make_one_toast(agent):
    first, second = await sync_to_async(_two)(agent)
    socket = await listen(agent)
    await sync_to_async(_sweep)(BREACHED)
    message = await socket.receive_json_from(timeout=2)
    assert message["payload"] == {
        "tickets": [first.pk, second.pk],
        "toast": "2 new SLA notices: see your home page.",
    }
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_a_quiet_sweep_records_the_notice_and_tells_no_one(agent):
    await sync_to_async(_setup)(agent)
    socket = await listen(agent)
    await sync_to_async(_sweep)(BREACHED, quiet=True)
    assert await socket.receive_nothing(timeout=0.3)
    assert await sync_to_async(Notice.objects.filter(user=agent).count)() == 2
    await socket.disconnect()


async def test_reading_a_notice_tells_the_persons_other_pages(agent):
    await sync_to_async(_setup)(agent)
    await sync_to_async(_sweep)(BREACHED)
    other_tab = await listen(agent)
    notice = await sync_to_async(Notice.objects.filter(user=agent).first)()
    assert await sync_to_async(do_mark_notices_read)(agent, [notice.pk]) == 1
    message = await other_tab.receive_json_from(timeout=2)
    assert message == {"event": "sla_notices_read", "payload": {"ids": [notice.pk]}}
    await other_tab.disconnect()


def _setup(user):
    policy()
    return conversation(assignee=user)


def _two(user):
    policy(("breach", "", "notify_assignee"))
    return conversation("Pierwsza", assignee=user), conversation("Druga", assignee=user)
