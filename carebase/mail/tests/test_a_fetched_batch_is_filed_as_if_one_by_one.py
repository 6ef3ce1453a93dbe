"""The worker files a fetched batch in one transaction, writing timeline
events, live updates, search terms, references and outcomes in bulk at its
end (core/deferred.py). What it files is what filing the messages one by one
gives: threads, duplicates, flagged mail, acknowledgement limits."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebase.core.models import LiveEvent
from carebase.core.realtime import relay_through_database
from carebase.mail.actions import do_process_emails, do_receive_emails
from carebase.mail.models import EmailReference
from carebase.mail.tests.conftest import compose
from carebase.tickets import search
from carebase.tickets.models import EventKind, Ticket

pytestmark = pytest.mark.django_db


def file_batch(mailbox, *raws):
    stored = do_receive_emails(list(raws), mailbox=mailbox, source="imap")
    return [outcome.inbound for outcome in do_process_emails(stored)]


def test_replies_duplicates_and_bad_mail_in_one_batch_land_as_one_by_one(mailbox, agent):
    first = compose(message_id="<a1@klient.example>")
    filed = file_batch(
        mailbox,
        first,
        compose(
            subject="Re: Nagrania rozmów nie działają",
            body="Dołączam fakturę za listopad.",
            message_id="<a2@klient.example>",
            In_Reply_To="<a1@klient.example>",
        ),
        first,  # fetched twice
        compose(sender="", message_id="<nobody@klient.example>"),
        compose(
            sender="Jan Kowalski <jan@firma.example>",
            subject="Eksport do CSV",
            message_id="<b1@firma.example>",
        ),
        compose(
            subject="Re: Nagrania rozmów nie działają",
            body="Jeszcze jedno pytanie.",
            message_id="<a3@klient.example>",
            In_Reply_To="<a2@klient.example>",
        ),
    )
    assert [inbound.status for inbound in filed] == [
        "created",
        "appended",
        "duplicate",
        "needs_attention",
        "created",
        "appended",
    ]
    recordings = filed[0].ticket
    assert [inbound.ticket for inbound in filed] == [
        recordings,
        recordings,
        recordings,
        None,
        filed[4].ticket,
        recordings,
    ]
    assert filed[2].ticket_message == filed[0].ticket_message
    assert "sender" in filed[3].error
    assert list(recordings.messages.order_by("id").values_list("body_text", flat=True)) == [
        "Od wczoraj nie nagrywają się rozmowy przychodzące.",
        "Dołączam fakturę za listopad.",
        "Jeszcze jedno pytanie.",
    ]
    assert list(recordings.events.order_by("id").values_list("kind", flat=True)) == [
        EventKind.CREATED,
        EventKind.REPLY_ADDED,
        EventKind.REPLY_ADDED,
        EventKind.REPLY_ADDED,
    ]
    references = EmailReference.objects.filter(ticket=recordings)
    assert sorted(references.values_list("message_id", flat=True)) == [
        "a1@klient.example",
        "a2@klient.example",
        "a3@klient.example",
    ]
    # The outcomes are stored, not only set on the objects in memory.
    for inbound in filed:
        inbound.refresh_from_db()
    assert [inbound.status for inbound in filed][2:4] == ["duplicate", "needs_attention"]
    # The replies' words are searchable, inflected: "faktura" finds "fakturę".
    found = Ticket.objects.filter(search.search_condition("faktura", agent))
    assert list(found) == [recordings]


def test_the_batch_writes_events_and_live_updates_once_each(mailbox):
    raws = [
        compose(message_id="<a1@klient.example>"),
        *(
            compose(
                subject="Re: Nagrania rozmów nie działają",
                body=f"Uzupełnienie numer {number}.",
                message_id=f"<a{number + 1}@klient.example>",
                In_Reply_To=f"<a{number}@klient.example>",
            )
            for number in range(1, 6)
        ),
    ]
    stored = do_receive_emails(raws, mailbox=mailbox, source="imap")
    with relay_through_database(), CaptureQueriesContext(connection) as queries:
        do_process_emails(stored)
    inserts = [query["sql"] for query in queries if query["sql"].startswith("INSERT")]
    for table in ("tickets_ticketevent", "core_liveevent", "mail_emailreference"):
        assert len([sql for sql in inserts if f'"{table}"' in sql]) == 1, table
    # Six changes to one conversation: its team's open inboxes hear once, and
    # so do those of the people who see every team.
    [ticket] = Ticket.objects.all()
    assert sorted(LiveEvent.objects.values_list("group", "event", "payload")) == [
        (f"team.{ticket.team_id}", "tickets_changed", {"ticket": ticket.pk}),
        ("teams.all", "tickets_changed", {"ticket": ticket.pk}),
    ]
    assert ticket.messages.count() == 6


def test_acknowledgements_in_one_batch_keep_to_three_an_hour(
    mailbox, smtp_inbox, django_capture_on_commit_callbacks
):
    raws = [
        compose(subject=f"Sprawa {number}", message_id=f"<{number}@klient.example>")
        for number in range(5)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        filed = file_batch(mailbox, *raws)
    assert [inbound.acknowledged_at is not None for inbound in filed] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert len(smtp_inbox.messages) == 3


@pytest.fixture
def live_events_refused(db):
    """The live-update table refuses every row (a trigger): the batch's bulk
    writes fail at its end, after every message was filed."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_live() RETURNS trigger LANGUAGE plpgsql AS"
                " $$ BEGIN RAISE EXCEPTION 'live updates are refused'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_live BEFORE INSERT ON core_liveevent"
                " FOR EACH ROW EXECUTE FUNCTION refuse_live()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_live BEFORE INSERT ON core_liveevent"
                " BEGIN SELECT RAISE(ABORT, 'live updates are refused'); END"
            )


def test_when_the_bulk_writes_fail_each_message_is_filed_again_alone(mailbox, live_events_refused):
    raws = [
        compose(message_id="<a1@klient.example>"),
        compose(subject="Inna sprawa", message_id="<b1@klient.example>"),
    ]
    stored = do_receive_emails(raws, mailbox=mailbox, source="imap")
    with relay_through_database():
        filed = [outcome.inbound for outcome in do_process_emails(stored)]
    # Alone, each fails the same way: each is flagged with the reason, once
    # (the failed batch's attempt is not counted twice), and nothing half
    # filed is left behind.
    for inbound in filed:
        inbound.refresh_from_db()
        assert inbound.status == "needs_attention"
        assert "live updates are refused" in inbound.error
        assert inbound.attempts == 1
    assert not Ticket.objects.exists()
    assert not EmailReference.objects.exists()


def test_a_bounce_that_names_no_message_is_set_aside_with_its_reason(mailbox):
    bounce = (
        b"From: MAILER-DAEMON@mx.klient.example\r\n"
        b"To: pomoc@carebase.test\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\n"
        b"Message-ID: <bounce-1@mx.klient.example>\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n'
        b"\r\n"
        b"--b\r\n"
        b"Content-Type: text/plain\r\n\r\n"
        b"Your message could not be delivered.\r\n"
        b"--b\r\n"
        b"Content-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.klient.example\r\n\r\n"
        b"Final-Recipient: rfc822; nikt@klient.example\r\n"
        b"Action: failed\r\n"
        b"Status: 5.1.1\r\n"
        b"--b--\r\n"
    )
    [inbound] = file_batch(mailbox, bounce)
    assert inbound.status == "needs_attention"
    assert "delivery failure notice for a message we do not know" in inbound.error
