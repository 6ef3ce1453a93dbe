import re

import pytest
from playwright.sync_api import expect

from carebase.core.roles import Role
from carebase.crm.actions import do_create_organization
from carebase.crm.models import Organization
from carebase.testing import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cs_manager_finds_a_client_as_they_type_and_updates_its_mrr(page):
    make_user("emily", Role.CS_MANAGER, first_name="Emily")
    for name, plan in [
        ("Harbor Dental", "business"),
        ("Harbor Hotel", "start"),
        ("Apex Fitness", "business"),
    ]:
        do_create_organization(actor=None, name=name, plan=plan)

    page.goto("/accounts/login/")
    page.get_by_label("Username or email").fill("emily")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organizations").click()

    rows = page.locator("#rows tbody tr")
    expect(rows).to_have_count(3)
    page.get_by_role("searchbox", name="Search").press_sequentially("harb", delay=30)
    expect(rows).to_have_count(2)
    expect(page).to_have_url(re.compile(r"q=harb"))
    page.get_by_label("Plan").select_option("business")
    expect(rows).to_have_count(1)
    expect(page.locator("#rows")).to_contain_text("1 organization")

    page.get_by_role("link", name="Harbor Dental").click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("MRR").fill("-5")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field.has-error")).to_contain_text("MRR")
    page.get_by_label("MRR").fill("2499.00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Organization saved.")).to_be_visible()
    expect(page.get_by_text("2,499.00 PLN")).to_be_visible()
    expect(page.get_by_text("Organization updated")).to_be_visible()
    assert str(Organization.objects.get(name="Harbor Dental").mrr) == "2499.00"
