"""Each help center page is in its address's language (the interface too,
whatever the profile or the browser says), describes itself for search
engines (title, description, absolute canonical, hreflang alternates) and
switches language to the article's translation when the reader may read
it, else to the other language's home."""

import re

import pytest
from django.test import Client

from carebase.kb.tests.kb_helpers import article
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

SITE = "https://help.example.com"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_an_article_describes_itself_and_links_its_translation():
    polish = article("Nagrywanie rozmów", "Włącz nagrywanie.", summary="Jak włączyć nagrywanie.")
    article("Call recording", "Turn recording on.", language="en", translation_of=polish)
    html = Client().get("/help/pl/articles/nagrywanie-rozmow/").content.decode()
    assert '<html lang="pl">' in html
    assert "<title>Nagrywanie rozmów · Centrum pomocy</title>" in html
    assert '<meta name="description" content="Jak włączyć nagrywanie.">' in html
    assert f'<link rel="canonical" href="{SITE}/help/pl/articles/nagrywanie-rozmow/">' in html
    assert alternates(html) == {
        "pl": f"{SITE}/help/pl/articles/nagrywanie-rozmow/",
        "en": f"{SITE}/help/en/articles/call-recording/",
        "x-default": f"{SITE}/help/pl/articles/nagrywanie-rozmow/",
    }
    assert 'href="/help/en/articles/call-recording/" hreflang="en"' in html
    assert 'name="robots"' not in html


def test_without_a_summary_the_description_is_the_start_of_the_text():
    article("Długi tekst", "Słowo " * 100)
    html = Client().get("/help/pl/articles/dlugi-tekst/").content.decode()
    description = re.search(r'<meta name="description" content="([^"]*)">', html).group(1)
    assert description.startswith("Słowo Słowo") and len(description) <= 160


def test_a_translation_the_reader_may_not_read_is_neither_linked_nor_announced(customer):
    polish = article("Cennik", "Ceny.")
    article("Pricing", "Prices.", language="en", translation_of=polish, visibility="customers")
    html = Client().get("/help/pl/articles/cennik/").content.decode()
    assert "pricing" not in html
    assert 'href="/help/en/" hreflang="en"' in html  # the switch goes to the English home
    assert set(alternates(html)) == {"pl", "x-default"}
    signed_in = client_for(customer).get("/help/pl/articles/cennik/").content.decode()
    assert 'href="/help/en/articles/pricing/" hreflang="en"' in signed_in


def test_the_interface_speaks_the_language_of_the_address(agent):
    agent.language = "en"
    agent.save(update_fields=["language"])
    polish = client_for(agent).get("/help/pl/", headers={"Accept-Language": "en"})
    assert polish["Content-Language"] == "pl"
    assert "Przejdź do treści" in polish.content.decode()
    english = Client().get("/help/en/", headers={"Accept-Language": "pl"})
    assert english["Content-Language"] == "en"
    html = english.content.decode()
    assert '<html lang="en">' in html and "Skip to content" in html and "Sign in" in html


def test_every_page_has_a_title_a_description_and_a_canonical_address():
    article("Nagrywanie rozmów", "Włącz nagrywanie.", kind="faq")
    for path in ["/help/pl/", "/help/en/", "/help/pl/faq/", "/help/pl/search/?q=nagrania"]:
        html = Client().get(path).content.decode()
        assert re.search(r"<title>[^<]+</title>", html), path
        assert re.search(r'<meta name="description" content="[^"]+">', html), path
        assert f'<link rel="canonical" href="{SITE}/help/' in html, path
    home = Client().get("/help/en/").content.decode()
    assert alternates(home) == {
        "pl": f"{SITE}/help/pl/",
        "en": f"{SITE}/help/en/",
        "x-default": f"{SITE}/help/",
    }
