from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from carebase.accounts.models import Team
from carebase.core.roles import Role
from carebase.crm.actions import do_create_contact, do_create_organization
from carebase.testing import make_user
from carebase.tickets.actions import do_create_ticket
from carebase.workflow.models import Feature, FeatureRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_makes_a_feature_of_a_request_and_the_head_ships_it(signed_in):
    agent = make_user("piotr", Role.SUPPORT_AGENT, first_name="Piotr")
    make_user("kasia", Role.HEAD_OF_SUPPORT, first_name="Kasia")
    # Browser tests run in flushed transactional databases: make the team here.
    support, _ = Team.objects.get_or_create(
        slug="support", defaults={"name": "Support", "kind": "support"}
    )
    support.members.add(agent)
    telnet = do_create_organization(actor=None, name="Tel-Net", mrr=Decimal("1200"))
    anna = do_create_contact(
        actor=None, name="Anna Nowak", organization=telnet, emails=["anna@tel-net.example"]
    )
    ticket = do_create_ticket(
        subject="Slack notifications for missed calls",
        body="A Slack message for every missed call would help a lot.",
        requester=anna,
        channel="email",
        type="feature_request",
        team=support,
    )

    page = signed_in("piotr")
    page.goto(f"/tickets/{ticket.pk}/")
    card = page.locator("#feature-request-card")
    expect(card).to_contain_text("Which feature does this conversation ask for?")
    card.get_by_role("button", name="New feature from the subject").click()
    expect(
        page.get_by_text("Feature “Slack notifications for missed calls” created.")
    ).to_be_visible()
    expect(card).to_contain_text("1 organization asks · 1,200 PLN")
    expect(page.locator(".conversation")).to_contain_text("Linked to the feature")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Feature requests").click()
    row = page.locator("tbody tr", has_text="Slack notifications for missed calls")
    expect(row).to_contain_text("New")
    expect(row.locator("td").nth(2)).to_have_text("1")
    expect(row.locator("td").nth(3)).to_have_text("1,200 PLN")
    row.get_by_role("link", name="Slack notifications for missed calls").click()
    expect(page.locator("tbody")).to_contain_text("Tel-Net")

    # A second client asks in a problem report: found by the card's search, linked.
    radio = do_create_organization(actor=None, name="Radio Zet", mrr=Decimal("300"))
    ewa = do_create_contact(
        actor=None, name="Ewa Radio", organization=radio, emails=["ewa@radio.example"]
    )
    other = do_create_ticket(
        subject="Missed calls go unnoticed",
        body="Could missed calls show up in our Slack?",
        requester=ewa,
        channel="email",
        type="problem",
        team=support,
    )
    page.goto(f"/tickets/{other.pk}/")
    card = page.locator("#feature-request-card")
    card.get_by_placeholder("Find a feature").fill("slack")
    card.locator("#feature-pick").get_by_role("button", name="Link").click()
    expect(page.get_by_text(f"{other.reference} now counts for")).to_be_visible()
    expect(card).to_contain_text("2 organizations ask · 1,500 PLN")

    head = signed_in("kasia")
    feature = Feature.objects.get()
    head.goto(f"/workflow/features/{feature.pk}/")
    head.get_by_label("Status").select_option("done")
    head.get_by_role("textbox", name="Decision").fill(
        "Released in 4.2: connect Slack under Integrations."
    )
    head.get_by_role("button", name="Save the decision").click()
    expect(head.get_by_text("Saved the decision on")).to_be_visible()
    head.get_by_role("button", name="Notify 2 requesters").click()
    expect(head.get_by_text("2 requesters will get an email.")).to_be_visible()
    expect(head.get_by_text("2 requesters were told already.")).to_be_visible()
    assert not FeatureRequest.objects.filter(notified_at__isnull=True).exists()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "anna@tel-net.example",
        "ewa@radio.example",
    ]
    assert "Released in 4.2" in mail.outbox[0].body
