import re

import pytest
from playwright.sync_api import expect

from carebase.accounts.models import Team
from carebase.core.roles import Role
from carebase.crm.actions import do_create_contact, do_create_organization
from carebase.testing import make_user
from carebase.tickets.actions import do_create_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_searches_in_polish_filters_and_shares_a_view(signed_in):
    support, _ = Team.objects.get_or_create(
        slug="support", defaults={"name": "Support", "kind": "support"}
    )
    agent = make_user("ola", Role.SUPPORT_AGENT)
    teammate = make_user("jan", Role.SUPPORT_AGENT)
    support.members.add(agent, teammate)
    acme = do_create_organization(actor=None, name="Acme Telecom")
    anna = do_create_contact(actor=None, name="Anna Nowak", organization=acme)
    do_create_ticket(
        subject="Brak nagrań",
        body="Od wczoraj nie działa nagrywanie połączeń.",
        requester=anna,
        channel="phone",
        priority="urgent",
        team=support,
    )
    do_create_ticket(
        subject="Faktura za październik",
        body="Proszę o korektę faktury.",
        requester=anna,
        channel="email",
        team=support,
    )

    page = signed_in("ola")
    page.goto("/tickets/")
    rows = page.locator("#rows tbody tr")
    expect(rows).to_have_count(2)

    page.get_by_placeholder("Search words, a requester or #number").fill("połączenia")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Brak nagrań")
    expect(page).to_have_url(re.compile(r"q=po"))

    page.get_by_placeholder("Search words, a requester or #number").fill("")
    expect(rows).to_have_count(2)
    page.get_by_label("Channel").select_option("phone")
    expect(rows).to_have_count(1)

    page.get_by_text("Save these filters as a view").click()
    page.get_by_label("View name").fill("Urgent calls")
    page.get_by_label("Share with").select_option(label="Support")
    page.get_by_role("button", name="Save view").click()
    expect(page.get_by_text("View “Urgent calls” saved.")).to_be_visible()
    queues = page.get_by_role("navigation", name="Queues")
    expect(queues.get_by_role("link", name="Urgent calls")).to_contain_text("1")
    expect(rows).to_have_count(1)

    other = signed_in("jan")
    other.goto("/tickets/")
    other.get_by_role("navigation", name="Queues").get_by_role("link", name="Urgent calls").click()
    expect(other.locator("#rows tbody tr")).to_have_count(1)
    expect(other.locator("#rows tbody tr").first).to_contain_text("Brak nagrań")
