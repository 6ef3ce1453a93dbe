"""An agent's reply to an email conversation goes out through SMTP from the
mailbox, threaded (Message-ID, In-Reply-To, References, the reference in the
subject), with its delivery state on the timeline; the customer's answer to
it comes back into the same conversation."""

import pytest
import time_machine
from django.utils import timezone

from carebase.mail.actions import do_process_email, do_receive_email
from carebase.mail.models import CcAddress, OutboundEmail, OutboundStatus
from carebase.mail.outbound import attempt, due
from carebase.mail.tests.conftest import compose
from carebase.testing import client_for, smtp_server
from carebase.tickets.actions import do_add_reply

pytestmark = pytest.mark.django_db


def ingest(raw, mailbox):
    return do_process_email(do_receive_email(raw, mailbox=mailbox, source="pipe")).inbound


def test_the_reply_is_threaded_and_the_answer_joins_the_conversation(
    mailbox, agent, smtp_inbox, django_capture_on_commit_callbacks
):
    mailbox.signature = "Zespół pomocy carebase"
    mailbox.save()
    first = ingest(compose(Cc="ola@klient.example"), mailbox)
    ticket = first.ticket
    with django_capture_on_commit_callbacks(execute=True):
        reply = do_add_reply(ticket, body="Sprawdziliśmy: nagrywanie działa.", author_user=agent)
    [sent] = smtp_inbox.messages
    assert sent["From"].addresses[0].addr_spec == "pomoc@carebase.test"
    assert sent["To"].addresses[0].addr_spec == "anna@klient.example"
    assert sent["Cc"].addresses[0].addr_spec == "ola@klient.example"
    assert sent["Subject"] == f"Re: Nagrania rozmów nie działają [{ticket.reference}]"
    assert sent["In-Reply-To"] == "<first@klient.example>"
    assert sent["References"] == "<first@klient.example>"
    outbound = OutboundEmail.objects.get(ticket_message=reply)
    assert sent["Message-ID"] == f"<{outbound.message_id}>"
    assert outbound.status == OutboundStatus.SENT
    text = sent.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "nagrywanie działa" in text
    assert "-- \nZespół pomocy carebase" in text
    assert "nagrywanie działa" in sent.get_body(("html",)).get_content()
    # The customer answers the reply: it lands in the same conversation.
    answer = ingest(
        compose(
            subject=sent["Subject"],
            body="Dziękuję!",
            message_id="<thanks@klient.example>",
            In_Reply_To=sent["Message-ID"],
            References=f"{sent['References']} {sent['Message-ID']}",
        ),
        mailbox,
    )
    assert answer.ticket == ticket
    assert answer.status == "appended"
    assert CcAddress.objects.filter(ticket=ticket).count() == 1


def test_no_notification_email_besides_the_threaded_reply(
    mailbox, agent, smtp_inbox, django_capture_on_commit_callbacks
):
    ticket = ingest(compose(), mailbox).ticket
    with django_capture_on_commit_callbacks(execute=True):
        do_add_reply(ticket, body="Odpowiedź", author_user=agent)
    assert len(smtp_inbox.messages) == 1


def test_internal_notes_never_go_out(
    mailbox, agent, smtp_inbox, django_capture_on_commit_callbacks
):
    ticket = ingest(compose(), mailbox).ticket
    with django_capture_on_commit_callbacks(execute=True):
        do_add_reply(ticket, body="Notatka", public=False, author_user=agent)
    assert smtp_inbox.messages == []
    assert not OutboundEmail.objects.exists()


class Refusing:
    def __init__(self, answer):
        self.answer = answer
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        if self.answer.startswith("250"):
            self.received.append(envelope.content)
        return self.answer


@pytest.fixture
def refusing_smtp(settings):
    with smtp_server(settings, Refusing("451 4.3.0 Try again later")) as handler:
        yield handler


def test_a_refused_send_is_retried_later_and_then_delivered(
    mailbox, agent, refusing_smtp, django_capture_on_commit_callbacks
):
    ticket = ingest(compose(), mailbox).ticket
    with django_capture_on_commit_callbacks(execute=True):
        reply = do_add_reply(ticket, body="Odpowiedź", author_user=agent)
    outbound = OutboundEmail.objects.get(ticket_message=reply)
    assert outbound.status == OutboundStatus.QUEUED
    assert outbound.attempts == 1
    assert outbound.last_error.startswith("451")
    assert due() == []  # not before its pause is over
    refusing_smtp.answer = "250 OK"
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=2)):
        assert due() == [outbound.pk]
        attempt(outbound.pk)
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.SENT
    assert len(refusing_smtp.received) == 1


def test_a_permanent_refusal_fails_at_once_and_shows_the_servers_answer(
    mailbox, agent, refusing_smtp, django_capture_on_commit_callbacks
):
    refusing_smtp.answer = "550 5.1.1 No such user"
    mailbox.team.members.add(agent)
    ticket = ingest(compose(), mailbox).ticket
    with django_capture_on_commit_callbacks(execute=True):
        reply = do_add_reply(ticket, body="Odpowiedź", author_user=agent)
    outbound = OutboundEmail.objects.get(ticket_message=reply)
    assert outbound.status == OutboundStatus.FAILED
    assert "550" in outbound.last_error
    # The reply itself is kept, and the page says what happened.
    page = client_for(agent).get(f"/tickets/{ticket.pk}/").content.decode()
    assert "Odpowiedź" in page
    assert "Not delivered" in page
    assert "No such user" in page


def test_the_original_is_downloadable_by_staff_who_see_the_conversation(
    mailbox, agent, outsider, customer
):
    mailbox.team.members.add(agent)
    inbound = ingest(compose(), mailbox)
    page = client_for(agent).get(f"/tickets/{inbound.ticket_id}/").content.decode()
    assert f"/mail/original/{inbound.pk}/" in page
    response = client_for(agent).get(f"/mail/original/{inbound.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content == bytes(inbound.raw)
    for stranger in (outsider, customer):
        assert client_for(stranger).get(f"/mail/original/{inbound.pk}/").status_code == 404
