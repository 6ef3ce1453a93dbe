import pytest
from playwright.sync_api import expect

from carebase.core.roles import Role
from carebase.crm.models import Organization
from carebase.testing import make_user
from carebase.workflow.models import Rule, SlaPolicy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_head_adds_a_rule_and_a_policy_then_tries_them(signed_in):
    make_user("kasia", Role.HEAD_OF_SUPPORT, first_name="Kasia")
    Organization.objects.create(name="Tel-Net", tier="strategic")
    page = signed_in("kasia")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Queue rules").click()
    expect(page.get_by_text("No rule: every request arrives with normal priority")).to_be_visible()

    page.locator("#priority").get_by_role("link", name="New rule").click()
    page.get_by_label("Name").fill("Strategic outages: urgent")
    page.get_by_label("Strategic").check()
    page.get_by_label("Keywords in the subject or text").fill("awaria\nnie działa")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field.has-error")).to_contain_text("This rule changes nothing")
    page.get_by_label("Then set the priority to").select_option("urgent")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved the rule Strategic outages: urgent.")).to_be_visible()
    expect(page.locator("#priority tbody tr").first).to_contain_text("awaria, nie działa")

    page.locator("#main").get_by_role("link", name="SLA policies").click()
    page.get_by_role("link", name="New SLA policy").click()
    page.get_by_label("Name").fill("Premium")
    page.get_by_label("Strategic").check()
    page.get_by_label("First response · Urgent").fill("15m")
    page.get_by_label("Resolution · Urgent").fill("4h")
    page.get_by_label("When").first.select_option("breach")
    page.get_by_label("Do").first.select_option("notify_head")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved the SLA policy Premium.")).to_be_visible()
    expect(page.locator(".sla-targets").first).to_contain_text("15m")

    page.locator("#main").get_by_role("link", name="Queue rules").click()
    trial = page.locator("#try")
    trial.get_by_label("Subject").fill("Awaria centrali")
    trial.get_by_label("Channel").select_option("email")
    trial.get_by_label("Organization").fill("Tel-Net")
    trial.get_by_role("button", name="Try").click()
    expect(page.locator('[data-field="priority"]')).to_have_text("Urgent")
    expect(page.locator(".trial")).to_contain_text("Strategic outages: urgent")
    expect(page.locator('[data-field="policy"]')).to_have_text("Premium")
    expect(page.locator(".trial")).to_contain_text("First response 15m")
    assert Rule.objects.count() == 1 and SlaPolicy.objects.count() == 1
