import pytest
from playwright.sync_api import expect

from carebase.accounts.models import Team
from carebase.core.roles import Role
from carebase.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_head_sets_a_teams_hours_with_a_lunch_break_and_a_day_off(signed_in):
    make_user("kasia", Role.HEAD_OF_SUPPORT, first_name="Kasia")
    Team.objects.create(name="Wsparcie", slug="wsparcie", kind="support")
    page = signed_in("kasia")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Business calendars"
    ).click()
    expect(page.get_by_text("No calendar yet")).to_be_visible()
    page.get_by_role("link", name="New calendar").click()

    page.get_by_label("Name").fill("Wsparcie — Warszawa")
    page.get_by_label("Opening hours").fill("mon-fri 08:00-12:00, 11:30-16:00")
    page.get_by_label("Days off").fill("2026-12-31 Sylwester")
    page.get_by_label("Wsparcie").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field.has-error")).to_contain_text("overlap")

    page.get_by_label("Opening hours").fill("mon-fri 08:00-12:00, 12:30-16:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved the calendar Wsparcie — Warszawa.")).to_be_visible()
    row = page.locator("tbody tr", has_text="Wsparcie — Warszawa")
    expect(row).to_contain_text("mon 08:00-12:00, 12:30-16:00")
    expect(row).to_contain_text("Sylwester")
    expect(row.locator("td").nth(4)).to_have_text("Wsparcie")
    assert Team.objects.get(slug="wsparcie").calendar.name == "Wsparcie — Warszawa"
