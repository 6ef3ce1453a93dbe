import re

import pytest
from playwright.sync_api import expect

from carebase.core.roles import Role
from carebase.crm.actions import do_create_organization
from carebase.crm.models import Contact
from carebase.testing import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_signs_in_switches_to_polish_and_adds_a_contact(page):
    make_user("piotr", Role.SUPPORT_AGENT, first_name="Piotr", email="piotr@example.com")
    do_create_organization(actor=None, name="Acme Telecom")

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username or email").fill("piotr@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Hello, Piotr")).to_be_visible()

    page.get_by_label("Language").select_option("pl")
    expect(page.get_by_role("heading", name="Cześć, Piotr")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "pl")

    page.get_by_role("navigation", name="Nawigacja główna").get_by_role(
        "link", name="Kontakty"
    ).click()
    page.get_by_role("link", name="Nowy kontakt").click()
    page.get_by_label("Imię i nazwisko").fill("Anna Nowak")
    page.get_by_label("Organizacja").select_option(label="Acme Telecom")
    page.get_by_label("Adresy e-mail").fill("Anna.Nowak@Acme.example")
    page.get_by_label("Numery telefonów").fill("zadzwoń do mnie")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_text("jako numeru telefonu")).to_be_visible()
    assert not Contact.objects.exists()

    page.get_by_label("Numery telefonów").fill("601 234 567")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_role("heading", name="Anna Nowak")).to_be_visible()
    expect(page.get_by_role("link", name="601 234 567")).to_have_attribute(
        "href", "tel:+48601234567"
    )
    contact = Contact.objects.get()
    assert contact.emails == ["anna.nowak@acme.example"]
    assert contact.organization.name == "Acme Telecom"
