"""Threading: by the Message-IDs a reply answers, by the reference in its
subject (only from people of that conversation), by sender and subject for
clients that drop both; anything else starts a conversation."""

import pytest
import time_machine
from django.utils import timezone

from carebase.mail.actions import do_process_email, do_receive_email
from carebase.mail.models import CcAddress, InboundStatus
from carebase.mail.tests.conftest import compose
from carebase.tickets.actions import do_change_status
from carebase.tickets.models import Status, Ticket

pytestmark = pytest.mark.django_db


def ingest(raw, mailbox):
    return do_process_email(do_receive_email(raw, mailbox=mailbox, source="pipe")).inbound


def test_a_new_message_opens_a_conversation_for_its_sender_in_the_mailbox_team(mailbox):
    inbound = ingest(compose(Cc="Ola <ola@klient.example>, pomoc@carebase.test"), mailbox)
    assert inbound.status == InboundStatus.CREATED
    ticket = inbound.ticket
    assert ticket.subject == "Nagrania rozmów nie działają"
    assert ticket.channel == "email"
    assert ticket.team == mailbox.team
    assert ticket.requester.emails == ["anna@klient.example"]
    assert ticket.requester.name == "Anna Nowak"
    assert "nie nagrywają" in inbound.ticket_message.body_text
    # Copied people are kept (not our own address).
    assert list(CcAddress.objects.filter(ticket=ticket).values_list("address", flat=True)) == [
        "ola@klient.example"
    ]


def test_a_reply_joins_by_in_reply_to_and_its_quote_is_cut(mailbox):
    first = ingest(compose(), mailbox).ticket
    body = "Dziękuję, teraz działa.\n\nW dniu 1.12.2026 o 10:00, Pomoc napisał(a):\n> Stara treść"
    reply = ingest(
        compose(
            subject="Re: Nagrania rozmów nie działają",
            body=body,
            message_id="<second@klient.example>",
            In_Reply_To="<first@klient.example>",
        ),
        mailbox,
    )
    assert reply.status == InboundStatus.APPENDED
    assert reply.ticket == first
    assert reply.ticket_message.body_text == "Dziękuję, teraz działa."


def test_a_reply_joins_by_references_when_in_reply_to_is_unknown(mailbox):
    first = ingest(compose(), mailbox).ticket
    reply = ingest(
        compose(
            subject="Odp: inny temat",
            message_id="<third@klient.example>",
            In_Reply_To="<unknown@elsewhere.example>",
            References="<first@klient.example> <unknown@elsewhere.example>",
        ),
        mailbox,
    )
    assert reply.ticket == first


def test_the_subject_reference_threads_only_mail_from_the_conversations_people(mailbox):
    first = ingest(compose(), mailbox).ticket
    same_person = ingest(
        compose(subject=f"Pytanie [#{first.pk}]", message_id="<r1@klient.example>"), mailbox
    )
    assert same_person.ticket == first
    stranger = ingest(
        compose(
            sender="obcy@inna-firma.example",
            subject=f"Pytanie [#{first.pk}]",
            message_id="<r2@inna-firma.example>",
        ),
        mailbox,
    )
    assert stranger.status == InboundStatus.CREATED
    assert stranger.ticket != first


def test_sender_and_subject_thread_a_reply_without_headers_within_the_window(mailbox):
    first = ingest(compose(), mailbox).ticket
    reply = ingest(
        compose(subject="RE: Nagrania rozmów nie działają", message_id="<bare@klient.example>"),
        mailbox,
    )
    assert reply.ticket == first
    with time_machine.travel(timezone.now() + timezone.timedelta(days=30)):
        late = ingest(
            compose(subject="Re: Nagrania rozmów nie działają", message_id="<late@klient.example>"),
            mailbox,
        )
    assert late.ticket != first


def test_the_same_message_twice_is_a_duplicate_of_the_first(mailbox):
    raw = compose()
    first = ingest(raw, mailbox)
    again = ingest(raw, mailbox)
    assert again.status == InboundStatus.DUPLICATE
    assert again.ticket == first.ticket
    assert Ticket.objects.count() == 1
    assert first.ticket.messages.count() == 1


def test_a_message_without_message_id_is_deduplicated_by_its_bytes(mailbox):
    raw = compose(message_id=None)
    assert ingest(raw, mailbox).status == InboundStatus.CREATED
    assert ingest(raw, mailbox).status == InboundStatus.DUPLICATE


def test_a_reply_to_a_closed_conversation_starts_a_linked_follow_up(mailbox, head_of_support):
    first = ingest(compose(), mailbox).ticket
    do_change_status(first, Status.SOLVED, actor=head_of_support)
    do_change_status(first, Status.CLOSED, actor=head_of_support)
    reply = ingest(
        compose(message_id="<after@klient.example>", In_Reply_To="<first@klient.example>"),
        mailbox,
    )
    assert reply.ticket != first
    assert reply.ticket.follow_up_of == first
    # A later reply to the follow-up's message stays in the follow-up.
    again = ingest(
        compose(message_id="<later@klient.example>", In_Reply_To="<after@klient.example>"),
        mailbox,
    )
    assert again.ticket == reply.ticket


def test_html_is_sanitised_and_the_quoted_history_cut(mailbox):
    html = (
        '<p onclick="steal()">Nowe pytanie <a href="javascript:alert(1)">link</a></p>'
        "<script>alert(1)</script>"
        '<div class="gmail_quote">On Mon, Pomoc wrote: stara treść</div>'
    )
    message = ingest(compose(html=html), mailbox).ticket_message
    assert "Nowe pytanie" in message.body_html
    for unsafe in ("onclick", "javascript:", "<script", "stara treść"):
        assert unsafe not in message.body_html


def test_our_own_address_and_missing_senders_need_attention(mailbox):
    ours = ingest(compose(sender="pomoc@carebase.test"), mailbox)
    assert ours.status == InboundStatus.NEEDS_ATTENTION
    assert "our own" in ours.error
    nobody = ingest(compose(sender="undisclosed-recipients:;"), mailbox)
    assert nobody.status == InboundStatus.NEEDS_ATTENTION
    assert Ticket.objects.count() == 0
