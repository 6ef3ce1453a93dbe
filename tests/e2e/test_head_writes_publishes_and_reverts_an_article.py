import pytest
from playwright.sync_api import expect

from carebase.core.roles import Role
from carebase.kb.models import Article
from carebase.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_head_writes_publishes_changes_and_reverts_an_article(signed_in):
    make_user("kasia", Role.HEAD_OF_SUPPORT, first_name="Katarzyna", last_name="Wiśniewska")
    page = signed_in("kasia")
    page.goto("/kb/")
    page.get_by_role("link", name="New article").click()
    page.get_by_label("Title").fill("Nagrywanie rozmów")
    page.get_by_label("Summary").fill("Jak włączyć nagrywanie i jak długo trzymamy nagrania.")
    page.get_by_label("Text", exact=True).fill(
        "## Włączanie\n\nOtwórz **Ustawienia → Nagrania**.\n\n<script>alert(1)</script>"
    )
    page.get_by_label("Who may read it").select_option("public")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview strong")).to_have_text("Ustawienia → Nagrania")
    page.get_by_role("button", name="Publish").click()

    expect(page.get_by_text("Published version 1.")).to_be_visible()
    expect(page.get_by_role("heading", name="Włączanie")).to_be_visible()
    article = Article.objects.get()
    assert "<script>" not in article.body_html

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Text", exact=True).fill("## Włączanie\n\nOtwórz **Projekt → Nagrania**.")
    page.get_by_role("button", name="Save for later").click()
    expect(
        page.get_by_text("This article has changes that readers do not see yet.")
    ).to_be_visible()
    page.get_by_label("Change note").fill("Nowe menu")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Published version 2.")).to_be_visible()

    page.get_by_role("link", name="Compare and revert versions").click()
    expect(page.locator(".kb-diff del")).to_contain_text("Ustawienia")
    expect(page.locator(".kb-diff ins")).to_contain_text("Projekt")
    page.get_by_role("button", name="Make version 1 live again").click()
    expect(page.get_by_text("Version 1 is live again, as version 3.")).to_be_visible()

    page.goto(article.help_url())
    expect(page.locator("main")).to_contain_text("Ustawienia → Nagrania")
