import pytest
from playwright.sync_api import expect

from carebase.accounts.models import Team
from carebase.core.roles import Role
from carebase.crm.actions import do_create_contact, do_create_organization
from carebase.testing import PASSWORD, make_user
from carebase.tickets.actions import do_create_ticket
from carebase.tickets.models import Status, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_picks_a_conversation_notes_replies_and_solves_it(page):
    agent = make_user("piotr", Role.SUPPORT_AGENT, first_name="Piotr")
    # Browser tests run in flushed transactional databases: make the team here.
    support, _ = Team.objects.get_or_create(
        slug="support", defaults={"name": "Support", "kind": "support"}
    )
    support.members.add(agent)
    acme = do_create_organization(actor=None, name="Acme Telecom")
    anna = do_create_contact(
        actor=None, name="Anna Nowak", organization=acme, emails=["anna@acme.example"]
    )
    do_create_ticket(
        subject="Low priority wish",
        body="Dark mode?",
        requester=anna,
        channel="portal",
        priority="low",
        team=support,
    )
    ticket = do_create_ticket(
        subject="Calls are not recorded",
        body="No recordings since Monday.",
        requester=anna,
        channel="email",
        priority="urgent",
        team=support,
    )

    page.goto("/accounts/login/")
    page.get_by_label("Username or email").fill("piotr")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox").click()

    rows = page.locator("#rows tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Calls are not recorded")  # most urgent first
    rows.first.get_by_role("link", name="Calls are not recorded").click()
    expect(page.get_by_text("No recordings since Monday.")).to_be_visible()

    page.get_by_label("Message").fill("Checking the PBX recording settings.")
    page.get_by_label("Internal note").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Note added.")).to_be_visible()

    page.get_by_label("Message").fill("Recording was switched off; it is on again.")
    page.get_by_label("Public reply").check()
    page.get_by_label("Then set the status to").select_option("solved")
    page.get_by_label("Message").press("Control+Enter")
    expect(page.get_by_text("Reply sent.")).to_be_visible()
    expect(page.locator(".conversation")).to_contain_text("Status changed")

    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.status == Status.SOLVED and ticket.first_response_at is not None
    assert [m.is_public for m in ticket.messages.all()] == [True, False, True]
