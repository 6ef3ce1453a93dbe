"""fetch_mail against a real Dovecot: mail sent to the mailbox becomes a
conversation, the agent's reply reaches the SMTP server threaded, and the
customer's answer, fetched again, joins the same conversation."""

import io

import imapclient
import pytest
from django.core.management import call_command

from carebase.mail.fetch import fetch_all
from carebase.mail.models import InboundEmail, InboundStatus
from carebase.mail.tests.conftest import compose
from carebase.tickets.actions import do_add_reply
from carebase.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_a_message_in_the_mailbox_becomes_a_conversation_and_is_marked_seen(imap_mailbox, imap):
    imap.deliver(compose())
    out = io.StringIO()
    call_command("fetch_mail", stdout=out)
    assert "pomoc: 1 new" in out.getvalue()
    inbound = InboundEmail.objects.get()
    assert inbound.source == "imap"
    assert inbound.status == InboundStatus.CREATED
    assert inbound.ticket.subject == "Nagrania rozmów nie działają"
    with imapclient.IMAPClient(imap.host, port=imap.port, ssl=False) as client:
        client.login(imap.user, imap.password)
        client.select_folder("INBOX")
        assert client.search(["UNSEEN"]) == []
    # Nothing new: nothing fetched, nothing added.
    assert fetch_all()[0].stored == 0
    assert InboundEmail.objects.count() == 1


def test_the_whole_round_trip_stays_in_one_conversation(
    imap_mailbox, imap, agent, smtp_inbox, django_capture_on_commit_callbacks
):
    imap.deliver(compose())
    fetch_all()
    ticket = Ticket.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        do_add_reply(ticket, body="Włączyliśmy nagrywanie.", author_user=agent)
    [sent] = smtp_inbox.messages
    assert sent["In-Reply-To"] == "<first@klient.example>"
    imap.deliver(
        compose(
            subject=sent["Subject"],
            body="Działa, dziękuję!",
            message_id="<answer@klient.example>",
            In_Reply_To=sent["Message-ID"],
            References=f"<first@klient.example> {sent['Message-ID']}",
        )
    )
    fetch_all()
    assert Ticket.objects.count() == 1
    assert [m.body_text for m in ticket.messages.order_by("created_at", "id")] == [
        "Od wczoraj nie nagrywają się rozmowy przychodzące.",
        "Włączyliśmy nagrywanie.",
        "Działa, dziękuję!",
    ]


def test_a_refused_login_is_recorded_on_the_mailbox_and_loses_nothing(
    imap_mailbox, imap, monkeypatch
):
    imap.deliver(compose())
    monkeypatch.setenv("IMAP_PASSWORD_POMOC", "wrong")
    with pytest.raises(SystemExit):
        call_command("fetch_mail", stdout=io.StringIO(), stderr=io.StringIO())
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_fetch_error
    assert not InboundEmail.objects.exists()
    monkeypatch.setenv("IMAP_PASSWORD_POMOC", imap.password)
    assert fetch_all()[0].stored == 1
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_fetch_error == ""


def test_a_missing_password_variable_is_named(imap_mailbox, monkeypatch):
    monkeypatch.delenv("IMAP_PASSWORD_POMOC")
    [result] = fetch_all()
    assert "IMAP_PASSWORD_POMOC" in result.error
