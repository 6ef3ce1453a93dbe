import pytest
from playwright.sync_api import expect

from carebase.accounts.models import Team
from carebase.core.roles import Role
from carebase.testing import make_customer, make_user
from carebase.tickets.models import Status, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_customer_and_an_agent_hold_a_conversation_end_to_end(signed_in):
    support, _ = Team.objects.get_or_create(
        slug="support", defaults={"name": "Support", "kind": "support"}
    )
    agent = make_user("piotr", Role.SUPPORT_AGENT, first_name="Piotr")
    support.members.add(agent)
    make_customer("jola", "Acme Telecom")

    customer = signed_in("jola")
    expect(customer.get_by_role("heading", name="Your requests")).to_be_visible()
    customer.get_by_role("link", name="New request").click()
    customer.get_by_label("Subject").fill("Calls are not recorded")
    customer.get_by_label("What is it about?").select_option("problem")
    customer.get_by_label("Description").fill("No recordings since Monday in the main project.")
    customer.get_by_role("button", name="Send the request").click()
    expect(customer.get_by_text("We have your request")).to_be_visible()
    ticket = Ticket.objects.get()

    agent_page = signed_in("piotr")
    agent_page.goto("/tickets/?queue=unassigned")
    agent_page.get_by_role("link", name="Calls are not recorded").click()
    expect(agent_page.get_by_text("No recordings since Monday")).to_be_visible()
    agent_page.get_by_label("Message").fill("Recording was off after the PBX update.")
    agent_page.get_by_label("Internal note").check()
    agent_page.get_by_role("button", name="Send").click()
    expect(agent_page.get_by_text("Note added.")).to_be_visible()
    agent_page.get_by_label("Message").fill(
        "We switched recording back on. Please check a new call."
    )
    agent_page.get_by_label("Then set the status to").select_option("pending")
    agent_page.get_by_role("button", name="Send").click()
    expect(agent_page.get_by_text("Reply sent.")).to_be_visible()

    customer.goto(f"/portal/{ticket.pk}/")
    expect(customer.get_by_text("We switched recording back on.")).to_be_visible()
    expect(customer.get_by_text("Recording was off after the PBX update.")).to_have_count(0)
    expect(customer.locator(".page-head .badge")).to_have_text("Pending")
    customer.get_by_label("Your reply").fill("Works now, thank you!")
    customer.get_by_role("button", name="Send").click()
    expect(customer.get_by_text("Your reply has been sent.")).to_be_visible()
    expect(customer.locator(".page-head .badge")).to_have_text("Open")

    agent_page.reload()
    expect(agent_page.get_by_text("Works now, thank you!")).to_be_visible()
    agent_page.get_by_label("Message").fill("Great, closing this one.")
    agent_page.get_by_label("Then set the status to").select_option("solved")
    agent_page.get_by_role("button", name="Send").click()
    expect(agent_page.locator(".conversation")).to_contain_text("Solved")

    customer.reload()
    expect(customer.locator(".page-head .badge")).to_have_text("Solved")
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED
    assert [m.from_customer for m in ticket.messages.filter(kind="reply")] == [
        True,
        False,
        True,
        False,
    ]
