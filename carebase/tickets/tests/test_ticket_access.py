"""Every branch of tickets.access: who sees which conversations and messages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from carebase.tickets.access import access_ticket, messages_for, tickets_for
from carebase.tickets.actions import do_add_reply, do_create_ticket

pytestmark = pytest.mark.django_db


def ticket_for(requester, team=None, **extra):
    return do_create_ticket(
        subject="S", body="B", requester=requester, channel="portal", team=team, **extra
    )


def test_heads_see_every_team(head_of_support, acme_contact, support, success):
    tickets = [ticket_for(acme_contact, support), ticket_for(acme_contact, success)]
    assert set(tickets_for(head_of_support)) == set(tickets)


def test_agents_see_their_teams_the_triage_pool_and_their_own(
    agent, acme_contact, support, success
):
    support.members.add(agent)
    mine = ticket_for(acme_contact, support)
    triage = ticket_for(acme_contact, None)
    other_team = ticket_for(acme_contact, success)
    assert set(tickets_for(agent)) == {mine, triage}
    with pytest.raises(Http404):
        access_ticket(agent, other_team.pk)


def test_an_agent_outside_the_team_sees_a_ticket_assigned_to_them(
    admin, agent, acme_contact, success
):
    success.members.add(agent)
    ticket = ticket_for(acme_contact, success, assignee=agent)
    success.members.remove(agent)
    assert access_ticket(agent, ticket.pk) == ticket


def test_a_customer_sees_their_organizations_tickets_only(customer, acme_colleague, globex_contact):
    colleague_ticket = ticket_for(acme_colleague)
    ticket_for(globex_contact)
    assert list(tickets_for(customer)) == [colleague_ticket]


def test_a_customer_without_an_organization_sees_only_their_own(db):
    from carebase.crm.models import Contact
    from carebase.testing import make_customer

    user = make_customer("loner", "Loner Inc")
    contact = Contact.objects.get(user=user)
    contact.organization = None
    contact.save()
    own = ticket_for(contact)
    assert list(tickets_for(user)) == [own]


def test_people_without_ticket_rights_see_nothing(sales, outsider, acme_contact):
    ticket_for(acme_contact)
    assert not tickets_for(sales).exists()
    assert not tickets_for(outsider).exists()


def test_customers_may_see_but_not_work_a_ticket(customer, acme_contact):
    ticket = ticket_for(acme_contact)
    assert access_ticket(customer, ticket.pk) == ticket
    with pytest.raises(PermissionDenied):
        access_ticket(customer, ticket.pk, work=True)


def test_customers_never_read_internal_notes(customer, agent, acme_contact):
    ticket = ticket_for(acme_contact)
    do_add_reply(ticket, body="internal: refund?", public=False, author_user=agent)
    do_add_reply(ticket, body="We are on it", author_user=agent)
    assert [m.body_text for m in messages_for(customer, ticket)] == ["B", "We are on it"]
    assert messages_for(agent, ticket).count() == 3


def test_a_customer_limited_to_their_own_sees_only_those(customer, acme_contact, acme_colleague):
    acme_contact.sees_organization_tickets = False
    acme_contact.save()
    own = ticket_for(acme_contact)
    ticket_for(acme_colleague)
    assert list(tickets_for(customer)) == [own]
