"""Open inboxes hear about new and changed conversations they can see."""

import pytest
from asgiref.sync import sync_to_async

from carebase.testing import listen
from carebase.tickets.actions import do_create_ticket

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.anyio,
    pytest.mark.usefixtures("close_sync_thread_connections"),
]


async def test_a_teams_inbox_hears_of_its_new_ticket_and_another_teams_does_not(
    agent, cs_manager, head_of_support, support, success, acme_contact
):
    await sync_to_async(support.members.add)(agent)
    await sync_to_async(success.members.add)(cs_manager)
    support_inbox = await listen(agent)
    success_inbox = await listen(cs_manager)
    head_inbox = await listen(head_of_support)

    ticket = await sync_to_async(do_create_ticket)(
        subject="S", body="B", requester=acme_contact, channel="email", team=support
    )
    heard = await support_inbox.receive_json_from(timeout=2)
    assert heard == {"event": "tickets_changed", "payload": {"ticket": ticket.pk}}
    assert (await head_inbox.receive_json_from(timeout=2))["event"] == "tickets_changed"
    assert await success_inbox.receive_nothing(timeout=0.3)
    for communicator in (support_inbox, success_inbox, head_inbox):
        await communicator.disconnect()


async def test_a_ticket_without_a_team_reaches_every_teams_inbox(
    agent, cs_manager, support, success, acme_contact
):
    await sync_to_async(support.members.add)(agent)
    await sync_to_async(success.members.add)(cs_manager)
    inboxes = [await listen(agent), await listen(cs_manager)]
    await sync_to_async(do_create_ticket)(
        subject="S", body="B", requester=acme_contact, channel="email"
    )
    for inbox in inboxes:
        assert (await inbox.receive_json_from(timeout=2))["event"] == "tickets_changed"
        await inbox.disconnect()


async def test_an_agent_in_no_team_yet_hears_of_the_triage_pool_but_not_of_teams_work(
    agent, support, acme_contact
):
    inbox = await listen(agent)
    await sync_to_async(do_create_ticket)(
        subject="S", body="B", requester=acme_contact, channel="email", team=support
    )
    assert await inbox.receive_nothing(timeout=0.3)
    triage = await sync_to_async(do_create_ticket)(
        subject="T", body="B", requester=acme_contact, channel="email"
    )
    heard = await inbox.receive_json_from(timeout=2)
    assert heard == {"event": "tickets_changed", "payload": {"ticket": triage.pk}}
    await inbox.disconnect()


async def test_customers_hear_nothing_of_the_teams_work(customer, acme_contact):
    inbox = await listen(customer)
    await sync_to_async(do_create_ticket)(
        subject="S", body="B", requester=acme_contact, channel="email"
    )
    assert await inbox.receive_nothing(timeout=0.3)
    await inbox.disconnect()
