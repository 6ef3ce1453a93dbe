"""Email (through a real SMTP server on loopback) and live notices about conversations."""

import pytest

from carebase.tickets.actions import do_add_reply, do_assign, do_create_ticket
from carebase.tickets.notify import muted

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(acme_contact, support, agent):
    support.members.add(agent)
    return do_create_ticket(
        subject="Recordings missing",
        body="Since Monday.",
        requester=acme_contact,
        channel="email",
        team=support,
    )


def sent_to(inbox):
    return [(message["To"], message["Subject"]) for message in inbox.messages]


def test_an_agent_is_emailed_when_a_ticket_is_assigned_to_them(
    ticket, agent, head_of_support, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        do_assign(ticket, agent, actor=head_of_support)
    assert sent_to(smtp_inbox) == [
        ("agent1@example.com", f"[{ticket.reference}] Assigned to you: Recordings missing")
    ]
    text = smtp_inbox.messages[0].get_body(("plain",)).get_content()
    assert f"/tickets/{ticket.pk}/" in text


def test_taking_a_ticket_yourself_sends_no_email(
    ticket, agent, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        do_assign(ticket, agent, actor=agent)
    assert smtp_inbox.messages == []


def test_the_assignee_is_emailed_when_the_customer_replies(
    ticket, agent, acme_contact, smtp_inbox, django_capture_on_commit_callbacks
):
    do_assign(ticket, agent, actor=agent)
    with django_capture_on_commit_callbacks(execute=True):
        do_add_reply(ticket, body="Still nothing recorded.", author_contact=acme_contact)
    assert [to for to, _subject in sent_to(smtp_inbox)] == ["agent1@example.com"]
    assert "Still nothing recorded." in smtp_inbox.messages[0].get_body(("plain",)).get_content()


def test_the_customer_is_emailed_a_public_reply_but_never_a_note(
    ticket, agent, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        do_add_reply(ticket, body="Internal: check PBX", public=False, author_user=agent)
        do_add_reply(ticket, body="Recording is back on.", author_user=agent)
    assert sent_to(smtp_inbox) == [
        ("acmeuser@acme.example", f"[{ticket.reference}] Recordings missing")
    ]
    text = smtp_inbox.messages[0].get_body(("plain",)).get_content()
    assert "Recording is back on." in text and "Internal" not in text
    assert f"/portal/{ticket.pk}/" in text  # the customer has a portal login


def test_the_customer_email_is_in_their_language(
    ticket, agent, acme_contact, smtp_inbox, django_capture_on_commit_callbacks
):
    acme_contact.language = "pl"
    acme_contact.save()
    with django_capture_on_commit_callbacks(execute=True):
        do_add_reply(ticket, body="Gotowe.", author_user=agent)
    assert "zespół wsparcia" in smtp_inbox.messages[0].get_body(("plain",)).get_content()


def test_muted_changes_send_nothing(
    ticket, agent, head_of_support, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), muted():
        do_assign(ticket, agent, actor=head_of_support)
        do_add_reply(ticket, body="Done.", author_user=agent)
    assert smtp_inbox.messages == []
