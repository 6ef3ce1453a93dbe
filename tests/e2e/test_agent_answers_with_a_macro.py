import pytest
from playwright.sync_api import expect

from carebase.core.roles import Role
from carebase.testing import make_user
from carebase.tickets.models import Ticket
from carebase.workflow.tests.macro_helpers import conversation, macro, requester

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_answers_with_a_macro_that_asks_for_the_call_id(signed_in):
    agent = make_user("piotr", Role.SUPPORT_AGENT, first_name="Piotr", last_name="Kowalczyk")
    ticket = conversation(requester("Łucja Żółkiewska"))
    macro(agent, "Podziękowanie", "Dziękujemy, {{ contact.first_name }}!")
    macro(
        agent,
        "Prośba o ID połączenia",
        "Dzień dobry {{ contact.first_name }},\nprosimy o identyfikator połączenia.",
        set_status="pending",
        add_tags=["logi"],
    )
    page = signed_in("piotr")
    page.goto(f"/tickets/{ticket.pk}/")
    composer = page.locator("#composer textarea")
    composer.fill("Sprawdzę to.\n")

    search = page.get_by_role("combobox", name="Find a macro")
    search.click()
    options = page.get_by_role("listbox", name="Macros").get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    search.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    search.press("ArrowDown")  # round to the first again
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    search.fill("prosba polacz")  # no Polish letters: still found
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Also sets: Status: Pending · Tags: +logi")
    search.press("Enter")

    expect(page.locator("#macro-status")).to_contain_text("Applied “Prośba o ID połączenia”.")
    expect(composer).to_have_value(
        "Sprawdzę to.\nDzień dobry Łucja,\nprosimy o identyfikator połączenia."
    )
    # The Details card follows, so that saving it later keeps the macro's change.
    expect(page.locator("aside select[name=status]")).to_have_value("pending")
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_text("Reply sent.")).to_be_visible()
    expect(page.locator(".bubble.from-agent")).to_contain_text("Dzień dobry Łucja")
    expect(page.locator(".change", has_text="Status changed")).to_contain_text("New → Pending")
    expect(page.locator(".change", has_text="Tags changed")).to_contain_text("logi")
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.status == "pending" and ticket.messages.count() == 2
