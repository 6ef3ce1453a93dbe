import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carebase.core.roles import Role
from carebase.testing import make_user
from carebase.workflow.models import Notice
from carebase.workflow.sweep import sweep
from carebase.workflow.tests.notice_helpers import conversation, policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_head_sees_a_breach_on_home_opens_the_conversation_and_marks_it_read(signed_in):
    head = make_user("kasia", Role.HEAD_OF_SUPPORT, first_name="Kasia")
    policy(("breach", "", "notify_head"))
    # Waiting two hours for a first answer due within one: the sweep breaches it.
    ticket = conversation("Rozmowy się nie nagrywają", opened=timezone.now() - timedelta(hours=2))
    assert sweep().notices == 1

    page = signed_in("kasia")
    panel = page.locator("#sla-notices")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading")).to_contain_text("SLA notices")
    expect(panel).to_contain_text("1 unread")
    notice = panel.locator("li", has_text="SLA breached")
    expect(notice).to_contain_text("First response")
    notice.get_by_role("link", name=f"#{ticket.pk} Rozmowy się nie nagrywają").click()

    expect(page).to_have_url(re.compile(rf"/tickets/{ticket.pk}/$"))
    expect(page.locator("#sla")).to_contain_text("First response")
    # Opening the conversation is not reading the notice: it still waits at home.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(panel).to_contain_text("1 unread")

    with page.expect_request(lambda request: "/read/" in request.url) as marking:
        panel.get_by_role("button", name="Mark as read").click()
    assert marking.value.headers.get("hx-request") == "true"  # swapped in place by htmx
    expect(panel).to_be_hidden()
    assert Notice.objects.get(user=head).read_at is not None
    page.reload()
    expect(page.locator("#sla-notices")).to_be_hidden()
