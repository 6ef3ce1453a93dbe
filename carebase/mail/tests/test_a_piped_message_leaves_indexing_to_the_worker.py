"""ingest_email runs once per message as a mail server's pipe: loading the
lemma dictionaries would cost it five seconds. Its conversation's search
terms are left to a task after commit (the worker's, whose dictionaries are
loaded), and searching finds it all the same."""

import io
import sys

import pytest
from django.core.management import call_command

from carebase.core.models import SearchDocument
from carebase.core.search import find
from carebase.mail.tests.conftest import compose
from carebase.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_the_piped_conversation_is_indexed_after_commit(
    mailbox, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(compose())))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_command("ingest_email", "--mailbox", "pomoc", stdout=io.StringIO())
    ticket = Ticket.objects.get()
    assert not SearchDocument.objects.filter(object_id=ticket.pk).exists()
    for callback in callbacks:  # the commit: the task is queued (and, here, run)
        callback()
    found = find("ticket", "nagranie")
    assert found is not None
    assert Ticket.objects.filter(found.condition).get() == ticket
    assert "anna" in SearchDocument.objects.get(object_id=ticket.pk).terms.split()


def test_outside_a_pipe_the_terms_are_written_with_the_message(mailbox):
    from carebase.mail.actions import do_process_email, do_receive_email

    inbound = do_receive_email(compose(), mailbox=mailbox, source="imap")
    do_process_email(inbound)
    assert SearchDocument.objects.filter(object_id=inbound.ticket_id).exists()
