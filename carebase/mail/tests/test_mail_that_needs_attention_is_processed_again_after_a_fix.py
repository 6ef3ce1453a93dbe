"""The needs-attention list: what could not be filed is listed with the
reason, and after the cause is fixed it is processed again, by the page or
the API; a filed message is never filed twice."""

import pytest

from carebase.core.models import AuditEvent
from carebase.mail.actions import do_process_email, do_receive_email
from carebase.mail.models import InboundEmail, InboundStatus, Mailbox
from carebase.mail.tests.conftest import compose
from carebase.testing import client_for
from carebase.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def stuck(mailbox):
    """Mail from an address configured as one of ours (an old mailbox that a
    colleague still forwards from) is refused: it could be our own echo."""
    Mailbox.objects.create(name="stare", address="stare@carebase.example")
    inbound = do_receive_email(
        compose(sender="Stary adres <stare@carebase.example>", subject="Przekazuję zgłoszenie"),
        mailbox=mailbox,
        source="pipe",
    )
    do_process_email(inbound)
    assert inbound.status == InboundStatus.NEEDS_ATTENTION
    return inbound


def test_the_list_shows_the_reason_and_processing_again_files_it_after_the_fix(stuck, admin):
    client = client_for(admin)
    page = client.get("/mail/attention/").content.decode()
    assert "Przekazuję zgłoszenie" in page
    assert "one of our own addresses" in page
    assert f"/mail/original/{stuck.pk}/" in page
    # Unchanged, processing again gives the same reason and files nothing.
    response = client.post(f"/mail/attention/{stuck.pk}/reprocess/", follow=True)
    assert "Still not filed" in response.content.decode()
    assert Ticket.objects.count() == 0
    # The old address is retired; now the message opens a conversation.
    Mailbox.objects.filter(name="stare").delete()
    response = client.post(f"/mail/attention/{stuck.pk}/reprocess/", follow=True)
    stuck.refresh_from_db()
    assert stuck.status == InboundStatus.CREATED, stuck.error
    assert stuck.attempts == 3
    assert f"Filed: New conversation {stuck.ticket.reference}" in response.content.decode()
    assert "Nothing needs attention" in response.content.decode()
    assert AuditEvent.objects.filter(kind="mail.email_reprocessed").count() == 2
    # A filed message is not filed again.
    client.post(f"/mail/attention/{stuck.pk}/reprocess/")
    assert Ticket.objects.count() == 1


def test_processing_all_again_reports_what_was_filed(stuck, mailbox, admin):
    no_sender = do_receive_email(
        b"Subject: bez nadawcy\r\nMessage-ID: <nosender@mx.example>\r\n\r\nTekst.\r\n",
        mailbox=mailbox,
        source="pipe",
    )
    do_process_email(no_sender)
    assert no_sender.status == InboundStatus.NEEDS_ATTENTION
    Mailbox.objects.filter(name="stare").delete()
    response = client_for(admin).post("/mail/attention/reprocess/", follow=True)
    page = response.content.decode()
    assert "Processed 2 again: 1 filed, 1 still need attention." in page
    assert "no sender address" in page
    assert InboundEmail.objects.get(status=InboundStatus.NEEDS_ATTENTION) == no_sender


def test_the_api_lists_and_reprocesses_and_refuses_a_filed_message(stuck, admin, agent, api_as):
    api = api_as(admin)
    listed = api.get("/inbound-email", status="needs_attention").json()["items"]
    assert [(item["id"], item["error"][:40]) for item in listed] == [
        (stuck.pk, "The message comes from one of our own ad")
    ]
    assert api.get("/inbound-email", status="nonsense").status_code == 422
    Mailbox.objects.filter(name="stare").delete()
    filed = api.post(f"/inbound-email/{stuck.pk}/reprocess")
    assert filed.status_code == 200
    assert filed.json()["status"] == "created"
    assert filed.json()["ticket"] == Ticket.objects.get().pk
    again = api.post(f"/inbound-email/{stuck.pk}/reprocess")
    assert again.status_code == 409
    assert "already filed" in again.json()["detail"]
    outsider = api_as(agent)
    assert outsider.get("/inbound-email").status_code == 403
    assert outsider.get(f"/inbound-email/{stuck.pk}").status_code == 404
    assert outsider.post(f"/inbound-email/{stuck.pk}/reprocess").status_code == 404


def test_an_agent_cannot_download_an_unfiled_original_nor_reprocess_it(stuck, agent):
    client = client_for(agent)
    assert client.get(f"/mail/original/{stuck.pk}/").status_code == 404
    assert client.post(f"/mail/attention/{stuck.pk}/reprocess/").status_code == 404
    stuck.refresh_from_db()
    assert stuck.attempts == 1
