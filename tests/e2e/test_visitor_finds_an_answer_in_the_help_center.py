"""A visitor with a Polish browser opens the help center, searches in
Polish, opens the article, switches to its English translation and tells
us it did not help, with a comment that reaches the article's owner."""

import pytest
from playwright.sync_api import expect

from carebase.core.roles import Role
from carebase.kb.models import Category, Feedback, ReviewItem
from carebase.kb.tests.kb_helpers import article
from carebase.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def polish_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_visitor_finds_an_answer_reads_it_in_english_and_says_it_did_not_help(polish_page):
    owner = make_user("marta", Role.HEAD_OF_SUPPORT)
    recording = Category.objects.create(slug="recording", name_pl="Nagrania", name_en="Recording")
    polish = article(
        "Jak długo przechowujemy nagrania rozmów",
        "Nagrania przechowujemy przez 90 dni, potem są usuwane.",
        category=recording,
        owner=owner,
    )
    english = article(
        "How long we keep call recordings",
        "We keep recordings for 90 days, then they are deleted.",
        language="en",
        translation_of=polish,
        category=recording,
        owner=owner,
    )
    article("Skrypt rozmowy o nagraniach", "Tylko dla zespołu.", visibility="internal")
    page = polish_page

    page.goto("/help/")
    expect(page).to_have_url(f"{page.url.split('/help/')[0]}/help/pl/")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    page.get_by_role("searchbox").fill("nagraniami rozmowy")  # other forms of the words
    page.get_by_role("searchbox").press("Enter")

    results = page.locator(".results li")
    expect(results).to_have_count(1)  # the internal script is not shown
    expect(results.first.locator("mark").first).to_be_visible()
    results.first.get_by_role("link", name="Jak długo przechowujemy nagrania rozmów").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Jak długo przechowujemy nagrania rozmów"
    )
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{page.url.split('/help/')[0]}/help/en/articles/{english.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How long we keep call recordings")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_label("What could we add or make clearer? (optional)").fill(
        "Can I keep them longer?"
    )
    page.get_by_role("button", name="No", exact=True).click()
    expect(page.get_by_text("Thank you for your feedback!")).to_be_visible()
    assert page.url.endswith(f"/help/en/articles/{english.slug}/")  # htmx: no reload

    feedback = Feedback.objects.get()
    assert feedback.article == english and feedback.helpful is False
    assert feedback.comment == "Can I keep them longer?"
    item = ReviewItem.objects.get()
    assert item.article.owner == owner and item.note == "Can I keep them longer?"
