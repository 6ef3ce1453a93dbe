"""The sitemap offers search engines what anyone may read: public live
articles, the categories that hold them, the homes and FAQ pages of both
languages; translations point at each other with hreflang."""

import xml.etree.ElementTree as ElementTree

import pytest
from django.test import Client

from carebase.kb.actions import do_unpublish_article
from carebase.kb.models import Category
from carebase.kb.tests.kb_helpers import article

pytestmark = pytest.mark.django_db

SITE = "https://help.example.com"
NAMES = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture
def sitemap(settings):
    settings.SITE_URL = SITE
    recording = Category.objects.create(slug="recording", name_pl="Nagrania", name_en="Recording")
    scripts = Category.objects.create(slug="scripts", name_pl="Skrypty", name_en="Scripts")
    polish = article("Nagrywanie rozmów", "Włącz nagrywanie.", category=recording)
    article(
        "Call recording",
        "Turn recording on.",
        language="en",
        translation_of=polish,
        category=recording,
    )
    article("Cennik dla klientów", "Ceny.", visibility="customers", category=recording)
    article("Skrypt rozmowy", "Przedstaw się.", visibility="internal", category=scripts)
    article("Nowa funkcja", "Wkrótce.", publish=False)
    do_unpublish_article(article("Stary cennik", "Nieaktualny."), None, archive=True)
    answer = Client().get("/help/sitemap.xml")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(answer.content)  # noqa: S314 (our own response)


def urls(root):
    return {url.findtext("s:loc", namespaces=NAMES): url for url in root.findall("s:url", NAMES)}


def test_it_lists_public_live_articles_their_categories_and_both_homes_and_faqs(sitemap):
    assert set(urls(sitemap)) == {
        f"{SITE}/help/pl/",
        f"{SITE}/help/en/",
        f"{SITE}/help/pl/faq/",
        f"{SITE}/help/en/faq/",
        f"{SITE}/help/pl/categories/recording/",
        f"{SITE}/help/en/categories/recording/",
        f"{SITE}/help/pl/articles/nagrywanie-rozmow/",
        f"{SITE}/help/en/articles/call-recording/",
    }


def test_translations_name_each_other_with_hreflang_and_carry_lastmod(sitemap):
    entry = urls(sitemap)[f"{SITE}/help/en/articles/call-recording/"]
    links = {
        link.get("hreflang"): link.get("href")
        for link in entry.findall("x:link", NAMES)
        if link.get("rel") == "alternate"
    }
    assert links == {
        "pl": f"{SITE}/help/pl/articles/nagrywanie-rozmow/",
        "en": f"{SITE}/help/en/articles/call-recording/",
        "x-default": f"{SITE}/help/pl/articles/nagrywanie-rozmow/",
    }
    assert entry.findtext("s:lastmod", namespaces=NAMES).startswith("20")
    home = urls(sitemap)[f"{SITE}/help/pl/"]
    assert {link.get("hreflang") for link in home.findall("x:link", NAMES)} == {
        "pl",
        "en",
        "x-default",
    }
