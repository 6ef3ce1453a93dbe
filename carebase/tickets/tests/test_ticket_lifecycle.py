"""How a conversation moves: creation, replies, reopening, solving, closing,
follow-ups and merging, each change recorded as a typed event."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from carebase.core.errors import Conflict
from carebase.tickets.actions import (
    do_add_reply,
    do_assign,
    do_change_status,
    do_create_ticket,
    do_merge_tickets,
    do_set_tags,
    do_set_team,
    do_update_ticket,
)
from carebase.tickets.models import EventKind, MessageKind, Status, Ticket

pytestmark = pytest.mark.django_db


def new_ticket(requester, **extra):
    values = {
        "subject": "Calls are not recorded",
        "body": "Since Monday no recordings.",
        "requester": requester,
        "channel": "email",
    }
    values.update(extra)
    return do_create_ticket(**values)


def kinds(ticket):
    return list(ticket.events.values_list("kind", flat=True))


def test_a_new_ticket_holds_the_customers_message_and_its_organization(acme_contact):
    ticket = new_ticket(acme_contact)
    assert ticket.reference == f"#{ticket.pk}"
    assert ticket.status == Status.NEW and ticket.organization.name == "Acme"
    message = ticket.messages.get()
    assert message.from_customer and message.author_contact == acme_contact
    assert "<p>Since Monday no recordings.</p>" in message.body_html
    assert kinds(ticket) == [EventKind.CREATED, EventKind.REPLY_ADDED]
    assert ticket.last_customer_message_at == message.created_at


def test_the_first_public_agent_reply_sets_first_response_and_opens(acme_contact, agent, support):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        ticket = new_ticket(acme_contact, team=support)
    with time_machine.travel(start + timezone.timedelta(minutes=7), tick=False):
        do_add_reply(ticket, body="Looking into it", public=False, author_user=agent)
        ticket.refresh_from_db()
        assert ticket.first_response_at is None  # a note is not a response
        do_add_reply(ticket, body="We are on it.", author_user=agent)
    ticket.refresh_from_db()
    assert ticket.first_response_at - ticket.created_at == timezone.timedelta(minutes=7)
    assert ticket.status == Status.OPEN


def test_for_a_ticket_an_agent_opened_the_clock_stops_at_their_second_reply(acme_contact, agent):
    ticket = new_ticket(acme_contact, channel="phone", from_customer=False, actor=agent)
    assert ticket.messages.get().author_user == agent
    do_add_reply(ticket, body="Called back, configured.", author_user=agent)
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None


def test_a_customer_reply_reopens_a_solved_ticket(acme_contact, agent):
    ticket = new_ticket(acme_contact)
    do_add_reply(ticket, body="Fixed, please check.", author_user=agent, status=Status.SOLVED)
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED and ticket.first_solved_at is not None
    do_add_reply(ticket, body="Still broken!", author_contact=acme_contact)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    changes = list(
        ticket.events.filter(kind=EventKind.STATUS_CHANGED).values_list("old_value", "new_value")
    )
    assert changes[-1] == ("solved", "open")


def test_a_closed_ticket_cannot_change(acme_contact, agent):
    ticket = new_ticket(acme_contact)
    do_change_status(ticket, Status.SOLVED, actor=agent)
    do_change_status(ticket, Status.CLOSED, actor=agent)
    for change in (
        lambda: do_change_status(ticket, Status.OPEN, actor=agent),
        lambda: do_assign(ticket, agent, actor=agent),
        lambda: do_set_tags(ticket, ["x"], actor=agent),
        lambda: do_add_reply(ticket, body="late", author_user=agent),
        lambda: do_update_ticket(ticket, actor=agent, priority="high"),
    ):
        with pytest.raises(Conflict, match="closed"):
            change()


def test_a_customer_reply_to_a_closed_ticket_starts_a_linked_follow_up(acme_contact, agent):
    ticket = new_ticket(acme_contact, priority="high")
    do_change_status(ticket, Status.SOLVED, actor=agent)
    do_change_status(ticket, Status.CLOSED, actor=agent)
    message = do_add_reply(ticket, body="It broke again.", author_contact=acme_contact)
    follow_up = message.ticket
    assert follow_up.pk != ticket.pk and follow_up.follow_up_of == ticket
    assert follow_up.priority == "high" and follow_up.status == Status.NEW
    assert ticket.events.filter(kind=EventKind.FOLLOW_UP_CREATED, new_value=str(follow_up.pk))


def test_only_a_solved_ticket_can_be_closed(acme_contact, agent):
    ticket = new_ticket(acme_contact)
    with pytest.raises(Conflict, match="Solve"):
        do_change_status(ticket, Status.CLOSED, actor=agent)
    with pytest.raises(ValidationError):
        do_change_status(ticket, "archived", actor=agent)


def test_assigning_a_new_ticket_opens_it_and_is_recorded(acme_contact, agent, support):
    support.members.add(agent)
    ticket = new_ticket(acme_contact, team=support)
    do_assign(ticket, agent, actor=agent)
    ticket.refresh_from_db()
    assert ticket.assignee == agent and ticket.status == Status.OPEN
    assert EventKind.ASSIGNED in kinds(ticket)


def test_only_members_of_the_tickets_team_can_be_assigned(acme_contact, agent, success):
    ticket = new_ticket(acme_contact, team=success)
    with pytest.raises(ValidationError) as error:
        do_assign(ticket, agent, actor=None)
    assert "assignee" in error.value.message_dict


def test_customers_cannot_be_assigned(acme_contact, customer):
    ticket = new_ticket(acme_contact)
    with pytest.raises(ValidationError):
        do_assign(ticket, customer, actor=None)


def test_moving_to_another_team_unassigns_someone_outside_it(acme_contact, agent, support, success):
    support.members.add(agent)
    ticket = new_ticket(acme_contact, team=support, assignee=agent)
    do_set_team(ticket, success, actor=None)
    ticket.refresh_from_db()
    assert ticket.team == success and ticket.assignee is None


def test_tags_are_normalised_and_their_changes_recorded(acme_contact, agent):
    ticket = new_ticket(acme_contact, tags=["Recording", " recording ", "VIP client"])
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["recording", "vip client"]
    do_set_tags(ticket, ["vip client", "asterisk"], actor=agent)
    event = ticket.events.filter(kind=EventKind.TAGS_CHANGED).last()
    assert event.data == {"added": ["asterisk"], "removed": ["recording"]}


def test_a_failed_update_changes_nothing(acme_contact, agent):
    ticket = new_ticket(acme_contact)
    with pytest.raises(ValidationError):
        do_update_ticket(ticket, actor=agent, priority="high", status="nonsense")
    ticket.refresh_from_db()
    assert ticket.priority == "normal"
    assert not ticket.events.filter(kind=EventKind.PRIORITY_CHANGED).exists()


def test_merging_moves_the_messages_and_leaves_a_pointer(acme_contact, agent):
    first = new_ticket(acme_contact, subject="Recordings")
    second = new_ticket(acme_contact, subject="Recordings again")
    do_merge_tickets(second, first, actor=agent)
    second.refresh_from_db()
    assert second.merged_into == first and second.status == Status.CLOSED
    assert first.messages.count() == 2 and second.messages.count() == 0
    assert first.events.filter(kind=EventKind.MERGED_FROM, new_value=str(second.pk)).exists()
    with pytest.raises(ValidationError):
        do_merge_tickets(first, first, actor=agent)


def test_notes_are_internal_and_customers_cannot_write_them(acme_contact, agent):
    ticket = new_ticket(acme_contact)
    note = do_add_reply(ticket, body="Check the PBX logs", public=False, author_user=agent)
    assert note.kind == MessageKind.NOTE and not note.is_public
    with pytest.raises(ValidationError):
        do_add_reply(ticket, body="x", public=False, author_contact=acme_contact)


def test_inbound_html_is_sanitised(acme_contact):
    ticket = new_ticket(
        acme_contact,
        body="see",
        body_html='<p onclick="steal()">Hi<script>alert(1)</script>'
        '<a href="javascript:alert(2)">x</a><img src="x" onerror="bad()"></p>',
    )
    html = ticket.messages.get().body_html
    for bad in ("<script", "onclick", "javascript:", "onerror"):
        assert bad not in html
    assert "Hi" in html


def test_an_empty_or_unknown_input_is_refused_and_nothing_is_stored(acme_contact):
    for values in ({"subject": " "}, {"body": ""}, {"channel": "fax"}, {"priority": "asap"}):
        with pytest.raises(ValidationError):
            new_ticket(acme_contact, **values)
    assert not Ticket.objects.exists()
