import pytest
from django.conf import settings
from playwright.sync_api import expect

from carebase.core.roles import Role
from carebase.kb.models import ReviewItem
from carebase.kb.tests.agent_helpers import conversation, requester
from carebase.kb.tests.kb_helpers import article
from carebase.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_answers_with_an_article_and_flags_it_as_outdated(signed_in):
    make_user("piotr", Role.SUPPORT_AGENT, first_name="Piotr", last_name="Kowalczyk")
    mentor = make_user("ola", Role.MENTOR)
    guide = article(
        "Przekierowanie połączeń na komórkę",
        "W panelu wybierz **Numery → Przekierowania** i wpisz numer komórki.",
        summary="Jak przekierować połączenia na inny numer.",
        slug="przekierowanie-polaczen",
        owner=mentor,
    )
    notes = article(
        "Przekierowanie połączeń: uwagi dla wsparcia",
        "Sprawdź najpierw, czy numer ma aktywną usługę.",
        visibility="internal",
    )
    ticket = conversation(contact=requester("Łucja Żółkiewska"))
    page = signed_in("piotr")
    page.goto(f"/tickets/{ticket.pk}/")

    card = page.locator("#kb-suggestions")
    expect(card.get_by_role("heading", name="Suggested articles")).to_be_visible()
    suggested = card.locator("li.kb-suggestion", has_text="Przekierowanie połączeń na komórkę")
    expect(suggested).to_be_visible()
    internal = card.locator(f"#kb-suggestion-{notes.pk}")
    expect(internal).to_contain_text("internal — do not send")
    expect(internal.get_by_role("button", name="Insert link")).to_have_count(0)

    composer = page.locator("#composer textarea")
    composer.fill("Dzień dobry,\nopis jest tutaj:")
    suggested.get_by_role("button", name="Insert link").click()
    link = f"{settings.SITE_URL}/help/pl/articles/przekierowanie-polaczen/"
    expect(composer).to_have_value(
        f"Dzień dobry,\nopis jest tutaj:\nPrzekierowanie połączeń na komórkę: {link}"
    )
    expect(page.locator("#kb-status")).to_have_text("Put into the reply.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Reply sent.")).to_be_visible()
    expect(page.locator(".bubble.from-agent")).to_contain_text(link)

    # Searching by hand swaps the list in place.
    search = page.get_by_role("searchbox", name="Search the knowledge base")
    search.fill("uwagi wsparcia")
    expect(card.locator("li.kb-suggestion")).to_have_count(1)
    expect(card.locator("li.kb-suggestion")).to_contain_text("uwagi dla wsparcia")
    search.fill("")
    expect(card.locator(f"#kb-suggestion-{guide.pk}")).to_be_visible()

    suggested = card.locator(f"#kb-suggestion-{guide.pk}")
    suggested.get_by_text("Flag as outdated").click()
    suggested.get_by_label("What is outdated?").fill("Zakładka nazywa się teraz Routing.")
    suggested.get_by_role("button", name="Flag").click()
    expect(
        page.get_by_text("Flagged “Przekierowanie połączeń na komórkę” as outdated")
    ).to_be_visible()
    item = ReviewItem.objects.get()
    assert (item.article_id, item.ticket_id, item.note) == (
        guide.pk,
        ticket.pk,
        "Zakładka nazywa się teraz Routing.",
    )
