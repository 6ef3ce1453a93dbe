"""A new conversation's first mail is answered at once with its reference,
marked as automatic and threaded; programs (auto-replies, lists, bounces,
mailer daemons) never get one, and a person at most three an hour."""

import pytest

from carebase.mail.actions import do_process_email, do_receive_email
from carebase.mail.models import EmailReference
from carebase.mail.tests.conftest import compose

pytestmark = pytest.mark.django_db


@pytest.fixture
def ingest(mailbox, django_capture_on_commit_callbacks):
    def run(raw):
        with django_capture_on_commit_callbacks(execute=True):
            return do_process_email(do_receive_email(raw, mailbox=mailbox, source="pipe")).inbound

    return run


def test_a_new_conversation_gets_a_threaded_automatic_acknowledgement(ingest, smtp_inbox):
    inbound = ingest(compose())
    [ack] = smtp_inbox.messages
    reference = inbound.ticket.reference
    assert ack["To"].addresses[0].addr_spec == "anna@klient.example"
    assert ack["From"].addresses[0].addr_spec == "pomoc@carebase.test"
    assert ack["Subject"] == f"[{reference}] Nagrania rozmów nie działają"
    assert ack["Auto-Submitted"] == "auto-replied"
    assert ack["In-Reply-To"] == "<first@klient.example>"
    # The mailbox speaks Polish by default.
    assert reference in ack.get_body(("plain",)).get_content()
    assert "Dziękujemy" in ack.get_body(("plain",)).get_content()
    # Answering the acknowledgement continues the same conversation.
    assert EmailReference.objects.filter(
        message_id=ack["Message-ID"].strip("<>"), ticket=inbound.ticket
    ).exists()
    answer = ingest(compose(message_id="<re-ack@klient.example>", In_Reply_To=ack["Message-ID"]))
    assert answer.ticket == inbound.ticket
    assert len(smtp_inbox.messages) == 1  # a reply is not acknowledged


def test_the_mailbox_text_is_used_with_the_reference_and_subject_filled_in(
    mailbox, ingest, smtp_inbox
):
    mailbox.acknowledgement = "Mamy to: {reference} - {subject}. Odpiszemy w ciągu 4 godzin."
    mailbox.save()
    inbound = ingest(compose())
    body = smtp_inbox.messages[0].get_body(("plain",)).get_content()
    assert f"Mamy to: {inbound.ticket.reference} - Nagrania rozmów nie działają." in body


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"Precedence": "list"},
        {"List_Id": "<klienci.lists.example>"},
        {"sender": "MAILER-DAEMON@mx.klient.example"},
        {"sender": "noreply@klient.example"},
    ],
)
def test_programs_are_never_acknowledged(ingest, smtp_inbox, headers):
    inbound = ingest(compose(**headers))
    assert inbound.ticket is not None
    assert inbound.acknowledged_at is None
    assert smtp_inbox.messages == []


def test_one_sender_gets_at_most_three_an_hour(ingest, smtp_inbox):
    for number in range(5):
        ingest(compose(subject=f"Sprawa {number}", message_id=f"<{number}@klient.example>"))
    assert len(smtp_inbox.messages) == 3


def test_a_mailbox_can_turn_them_off(mailbox, ingest, smtp_inbox):
    mailbox.acknowledge = False
    mailbox.save()
    ingest(compose())
    assert smtp_inbox.messages == []
