import pytest
from playwright.sync_api import expect

from carebase.core.roles import Role
from carebase.crm.actions import do_create_contact, do_create_organization
from carebase.crm.models import Contact
from carebase.testing import make_user
from carebase.tickets.actions import do_create_ticket
from carebase.tickets.models import Channel, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_finds_a_duplicate_contact_checks_what_moves_and_merges_it(signed_in):
    make_user("piotr", Role.SUPPORT_AGENT, first_name="Piotr")
    acme = do_create_organization(actor=None, name="Acme Telecom")
    anna = do_create_contact(
        actor=None, name="Anna Nowak", organization=acme, phones=["601 234 567"]
    )
    duplicate = do_create_contact(
        actor=None, name="A. Nowak", emails=["a.nowak@private.example"], job_title="CTO"
    )
    do_create_ticket(
        subject="Recordings are missing",
        body="Yesterday's calls have no recordings.",
        requester=duplicate,
        channel=Channel.EMAIL,
    )

    page = signed_in("piotr")
    page.goto(f"/crm/contacts/{anna.pk}/")
    merge = page.get_by_role("region", name="Merge another contact into this one")
    merge.get_by_label("Find the duplicate by name, email or phone number").fill("private")
    merge.get_by_role("button", name="Find").click()

    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("A. Nowak")
    rows.first.get_by_role("link", name="Review the merge").click()

    expect(page.get_by_role("heading", name="Merge A. Nowak into Anna Nowak?")).to_be_visible()
    expect(page.locator("dt:text-is('Tickets') + dd")).to_have_text("1")
    expect(page.get_by_text("a.nowak@private.example")).to_be_visible()
    assert Contact.objects.filter(pk=duplicate.pk).exists()
    page.get_by_role("button", name="Merge").click()

    expect(page.get_by_role("heading", name="Anna Nowak", exact=True)).to_be_visible()
    expect(page.get_by_text("A. Nowak was merged into this contact.")).to_be_visible()
    expect(page.get_by_role("link", name="a.nowak@private.example")).to_be_visible()
    expect(page.get_by_text("CTO")).to_be_visible()
    expect(page.get_by_text("Contact merged")).to_be_visible()
    assert not Contact.objects.filter(pk=duplicate.pk).exists()
    assert Ticket.objects.get().requester_id == anna.pk
