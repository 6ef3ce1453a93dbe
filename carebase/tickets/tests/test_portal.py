"""Customers in the portal: their conversations, new requests, replies; never
another organization's conversations or the team's internal notes."""

import pytest

from carebase.testing import client_for
from carebase.tickets.actions import do_add_reply, do_change_status, do_create_ticket
from carebase.tickets.models import Channel, Status, Ticket

pytestmark = pytest.mark.django_db


def ticket_for(requester, **extra):
    return do_create_ticket(
        subject="Recordings",
        body="Missing since Monday.",
        requester=requester,
        channel="email",
        **extra,
    )


def test_a_customer_lands_in_the_portal_and_sees_their_organizations_requests(
    customer, acme_colleague, globex_contact
):
    mine = ticket_for(acme_colleague)
    ticket_for(globex_contact)
    client = client_for(customer)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/portal/"
    assert [t.pk for t in response.context["page"]] == [mine.pk]


def test_a_customer_submits_a_request(customer):
    response = client_for(customer).post(
        "/portal/new/",
        {"subject": "Widget is blank", "type": "problem", "body": "Since the update."},
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response.url == f"/portal/{ticket.pk}/"
    assert (ticket.channel, ticket.type, ticket.requester.user) == (
        Channel.PORTAL,
        "problem",
        customer,
    )


def test_a_request_without_a_description_is_refused(customer):
    response = client_for(customer).post(
        "/portal/new/", {"subject": "x", "type": "problem", "body": ""}
    )
    assert response.status_code == 422
    assert not Ticket.objects.exists()


def test_the_portal_shows_public_replies_but_never_notes(customer, agent, acme_contact):
    ticket = ticket_for(acme_contact)
    do_add_reply(ticket, body="INTERNAL: give them a discount?", public=False, author_user=agent)
    do_add_reply(ticket, body="We restored the recordings.", author_user=agent)
    page = client_for(customer).get(f"/portal/{ticket.pk}/").content.decode()
    assert "We restored the recordings." in page
    assert "INTERNAL" not in page and "discount" not in page


def test_a_customer_reply_reopens_a_solved_request(customer, agent, acme_contact):
    ticket = ticket_for(acme_contact)
    do_add_reply(ticket, body="Fixed.", author_user=agent, status=Status.SOLVED)
    response = client_for(customer).post(f"/portal/{ticket.pk}/", {"body": "Still missing."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_writing_to_a_closed_request_opens_a_follow_up(customer, agent, acme_contact):
    ticket = ticket_for(acme_contact)
    do_change_status(ticket, Status.SOLVED, actor=agent)
    do_change_status(ticket, Status.CLOSED, actor=agent)
    response = client_for(customer).post(f"/portal/{ticket.pk}/", {"body": "It broke again."})
    follow_up = Ticket.objects.get(follow_up_of=ticket)
    assert response.url == f"/portal/{follow_up.pk}/"


def test_another_organizations_request_is_404(customer, globex_contact):
    ticket = ticket_for(globex_contact)
    client = client_for(customer)
    assert client.get(f"/portal/{ticket.pk}/").status_code == 404
    assert client.post(f"/portal/{ticket.pk}/", {"body": "hi"}).status_code == 404
    assert ticket.messages.count() == 1


def test_staff_are_not_customers_in_the_portal(agent):
    assert client_for(agent).get("/portal/").status_code == 404


def test_the_portal_speaks_polish(customer):
    customer.language = "pl"
    customer.save()
    page = client_for(customer).get("/portal/").content.decode()
    assert 'lang="pl"' in page
    assert "Twoje zgłoszenia" in page and "Nowe zgłoszenie" in page
