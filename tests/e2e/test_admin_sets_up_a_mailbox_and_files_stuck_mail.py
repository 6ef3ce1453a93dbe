"""An admin adds a support mailbox fetched from a real Dovecot, tests the
connection from the page, and processes again a message that needed attention."""

import re

import pytest
from playwright.sync_api import expect

from carebase.core.roles import Role
from carebase.mail.actions import do_process_email, do_receive_email
from carebase.mail.models import InboundStatus, Mailbox
from carebase.mail.tests.conftest import compose
from carebase.mail.tests.imap_server import imap_server
from carebase.testing import make_user
from carebase.tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def imap(tmp_path_factory):
    with imap_server(tmp_path_factory.getbasetemp()) as server:
        yield server


def test_an_admin_adds_a_mailbox_tests_it_and_files_a_stuck_message(signed_in, imap):
    make_user("ada", Role.ADMIN, first_name="Ada")
    imap.deliver(compose())
    page = signed_in("ada")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mailboxes").click()
    page.get_by_role("link", name="New mailbox").click()
    page.get_by_label(re.compile(r"^Name")).fill("pomoc")
    page.get_by_label("Address").fill("pomoc@carebase.example")
    page.get_by_label("IMAP server").fill(imap.host)
    page.get_by_label("IMAP port").fill(str(imap.port))
    page.get_by_label("IMAP security").select_option("none")
    page.get_by_label("IMAP user name").fill(imap.user)
    page.get_by_role("button", name="Save").click()
    # No password yet: refused, with the reason at the field.
    expect(page.get_by_text("Enter the IMAP password")).to_be_visible()
    page.get_by_label(re.compile(r"^IMAP password$")).fill(imap.password)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Mailbox pomoc created.")).to_be_visible()

    page.get_by_role("button", name="Test connection").click()
    checks = page.get_by_role("status", name="Connection test")
    expect(checks).to_contain_text("holds 1 message, 1 of them unread")
    assert page.url.endswith(f"/mail/mailboxes/{Mailbox.objects.get().pk}/")  # no reload

    mailbox = Mailbox.objects.get()
    Mailbox.objects.create(name="stare", address="stare@carebase.example")
    stuck = do_receive_email(
        compose(sender="stare@carebase.example", subject="Przekazane zgłoszenie"),
        mailbox=mailbox,
        source="pipe",
    )
    do_process_email(stuck)
    assert stuck.status == InboundStatus.NEEDS_ATTENTION
    Mailbox.objects.filter(name="stare").delete()

    page.get_by_role("link", name="All mailboxes").click()
    page.get_by_role("link", name="1", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Przekazane zgłoszenie")
    expect(row).to_contain_text("one of our own addresses")
    row.get_by_role("button", name="Process again").click()
    ticket = Ticket.objects.get()
    expect(page.get_by_text(f"Filed: New conversation {ticket.reference}.")).to_be_visible()
    expect(page.get_by_text("Nothing needs attention")).to_be_visible()
