import pytest

from carebase.testing import client_for
from carebase.tickets.actions import do_change_status, do_create_ticket
from carebase.tickets.models import Status

pytestmark = pytest.mark.django_db


def make(requester, n, **extra):
    return [
        do_create_ticket(subject=f"T{i}", body="B", requester=requester, channel="email", **extra)
        for i in range(n)
    ]


def test_an_agent_assigns_tags_and_sets_status_for_the_ticked(agent, support, acme_contact):
    support.members.add(agent)
    tickets = make(acme_contact, 3, team=support)
    response = client_for(agent).post(
        "/tickets/bulk/",
        {
            "ids": [t.pk for t in tickets[:2]],
            "status": "pending",
            "assignee": agent.pk,
            "add_tag": "Outage",
            "next": "/tickets/?queue=open",
        },
    )
    assert response.status_code == 302 and response.url == "/tickets/?queue=open"
    for ticket in tickets[:2]:
        ticket.refresh_from_db()
        assert (ticket.status, ticket.assignee) == (Status.PENDING, agent)
        assert list(ticket.tags.values_list("name", flat=True)) == ["outage"]
    tickets[2].refresh_from_db()
    assert tickets[2].status == Status.NEW


def test_a_closed_ticket_is_skipped_and_named_and_the_rest_change(agent, acme_contact):
    open_one, closed = make(acme_contact, 2)
    do_change_status(closed, Status.SOLVED, actor=agent)
    do_change_status(closed, Status.CLOSED, actor=agent)
    response = client_for(agent).post(
        "/tickets/bulk/", {"ids": [open_one.pk, closed.pk], "status": "on_hold"}, follow=True
    )
    page = response.content.decode()
    assert "1 conversations updated." in page and f"#{closed.pk}" in page
    open_one.refresh_from_db()
    assert open_one.status == Status.ON_HOLD


def test_tickets_the_agent_cannot_see_are_ignored(agent, success, acme_contact):
    hidden = make(acme_contact, 1, team=success)[0]
    client_for(agent).post("/tickets/bulk/", {"ids": [hidden.pk], "status": "pending"})
    hidden.refresh_from_db()
    assert hidden.status == Status.NEW


def test_choosing_nothing_to_change_says_so(agent, acme_contact):
    ticket = make(acme_contact, 1)[0]
    response = client_for(agent).post("/tickets/bulk/", {"ids": [ticket.pk]}, follow=True)
    assert "Choose what to change." in response.content.decode()


def test_customers_cannot_bulk_update(customer, acme_contact):
    ticket = make(acme_contact, 1)[0]
    assert (
        client_for(customer)
        .post("/tickets/bulk/", {"ids": [ticket.pk], "status": "solved"})
        .status_code
        == 404
    )
