import re

import pytest
from playwright.sync_api import expect

from carebase.core.roles import Role
from carebase.kb.tests.regulation_helpers import regulation
from carebase.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_head_sees_an_agent_pending_then_up_to_date_once_they_read_it(signed_in):
    make_user("kasia", Role.HEAD_OF_SUPPORT, first_name="Kasia")
    agent = make_user("piotr", Role.SUPPORT_AGENT, first_name="Piotr", last_name="Kowalczyk")
    rule = regulation("Nagrywanie rozmów: zasady", roles=[Role.SUPPORT_AGENT])

    head = signed_in("kasia")
    head.get_by_role("navigation", name="Main").get_by_role("link", name="Regulations read").click()
    row = head.locator(f'tr[data-regulation="{rule.pk}"]')
    expect(row.locator('[data-count="required"]')).to_have_text("1")
    expect(row.locator('[data-count="pending"]')).to_have_text("1")
    row.get_by_role("link", name="Nagrywanie rozmów: zasady").click()
    expect(head).to_have_url(re.compile(rf"/kb/regulations/{rule.pk}/$"))
    person = head.locator(f'tr[data-person="{agent.pk}"]')
    expect(person).to_contain_text("Piotr Kowalczyk")
    expect(person).to_contain_text("not read")

    # The agent finds it on their home page, reads it and confirms.
    reader = signed_in("piotr")
    panel = reader.locator("#regulations-to-read")
    expect(panel.get_by_role("heading")).to_have_text("Regulations to read")
    expect(panel).to_contain_text("version 1")
    panel.get_by_role("link", name="Nagrywanie rozmów: zasady").click()
    expect(reader).to_have_url(re.compile(rf"/kb/{rule.pk}/$"))
    reader.get_by_role("button", name="I have read version 1").click()
    expect(reader.locator(".kb-acknowledge")).to_contain_text("You confirmed reading version 1 on")
    reader.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(reader.locator("#regulations-to-read")).to_have_count(0)

    head.reload()
    expect(person).to_contain_text(re.compile(r"read version 1 on \d\d/\d\d/\d{4}"))
    head.get_by_role("link", name="Regulations read").first.click()
    expect(row.locator('[data-count="up_to_date"]')).to_have_text("1")
    expect(row.locator('[data-count="pending"]')).to_have_text("0")
