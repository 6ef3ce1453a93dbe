from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carebase.core.roles import Role
from carebase.testing import PASSWORD, make_user
from carebase.workflow.sweep import sweep
from carebase.workflow.tests.notice_helpers import conversation, policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_breach_pops_up_and_fills_the_open_home_page_without_a_reload(browser, asgi_server):
    make_user("kasia", Role.HEAD_OF_SUPPORT, first_name="Kasia")
    policy(("breach", "", "notify_head"))
    context = browser.new_context(base_url=asgi_server, locale="en-US")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto("/accounts/login/")
        page.get_by_label("Username or email").fill("kasia")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("body[data-live=connected]")).to_have_count(1)
        panel = page.locator("#sla-notices")
        expect(panel).to_be_hidden()  # nothing unread: a calm home page

        ticket = conversation(
            "Rozmowy się nie nagrywają", opened=timezone.now() - timedelta(hours=2)
        )
        assert sweep().notices == 1

        expect(page.locator("#live-toasts")).to_contain_text(
            f"SLA breached on #{ticket.pk}: First response", timeout=15_000
        )
        expect(panel).to_be_visible(timeout=15_000)
        expect(panel).to_contain_text(f"#{ticket.pk} Rozmowy się nie nagrywają")
        panel.get_by_role("button", name="Mark all as read").click()
        expect(panel).to_be_hidden()
    finally:
        context.close()
