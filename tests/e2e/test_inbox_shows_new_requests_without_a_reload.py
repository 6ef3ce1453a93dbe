import pytest
from playwright.sync_api import expect

from carebase.accounts.models import Team
from carebase.core.roles import Role
from carebase.testing import PASSWORD, make_customer, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(browser, base_url, username):
    context = browser.new_context(base_url=base_url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return context, page


def test_a_request_from_the_portal_appears_in_the_open_inbox(browser, asgi_server):
    support, _ = Team.objects.get_or_create(
        slug="support", defaults={"name": "Support", "kind": "support"}
    )
    agent = make_user("piotr", Role.SUPPORT_AGENT)
    support.members.add(agent)
    make_customer("jola", "Acme Telecom")

    agent_context, inbox = sign_in(browser, asgi_server, "piotr")
    customer_context, portal = sign_in(browser, asgi_server, "jola")
    try:
        inbox.goto("/tickets/")
        expect(inbox.get_by_text("Nothing here. Well done!")).to_be_visible()
        # The page's live socket is open before anything happens.
        expect(inbox.locator("body[data-live=connected]")).to_have_count(1)

        portal.get_by_role("link", name="New request").click()
        portal.get_by_label("Subject").fill("Widget does not load")
        portal.get_by_label("What is it about?").select_option("problem")
        portal.get_by_label("Description").fill("The chat widget is blank on our site.")
        portal.get_by_role("button", name="Send the request").click()
        expect(portal.get_by_text("We have your request")).to_be_visible()

        # No reload: the row arrives over the WebSocket.
        expect(inbox.locator("#rows tbody tr").first).to_contain_text(
            "Widget does not load", timeout=15_000
        )
    finally:
        agent_context.close()
        customer_context.close()
