"""The help center's pages make a fixed number of queries, however many
categories, articles, tags and translations there are: none per item."""

import pytest
from django.db import connection
from django.test import Client

from carebase.kb.models import Category
from carebase.kb.tests.kb_helpers import article
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

# An anonymous reader's queries; a signed-in one adds three (the session,
# the user, the user's roles).
PAGES = {
    "home": ("/help/pl/", 3),
    "category": ("/help/pl/categories/shelf-0/", 3),
    "article": ("/help/pl/articles/nagrywanie-0-0/", 6),
    "search": ("/help/pl/search/?q=nagrywanie+rozmów", 8),
    "faq": ("/help/pl/faq/", 2),
    "sitemap": ("/help/sitemap.xml", 2),
}


@pytest.fixture
def shelves():
    for shelf in range(3):
        top = Category.objects.create(
            slug=f"shelf-{shelf}", name_pl=f"Półka {shelf}", name_en=f"Shelf {shelf}"
        )
        below = Category.objects.create(
            slug=f"below-{shelf}", name_pl="Niżej", name_en="Below", parent=top
        )
        for number in range(4):
            polish = article(
                f"Nagrywanie {shelf}-{number}",
                "## A\n\nNagrywanie rozmów.\n\n## B\n\nx\n\n## C\n\ny",
                category=top if number % 2 else below,
                tags=["nagrania", f"tag-{number}"],
                kind="faq" if number == 0 else "guide",
                visibility="internal" if number == 3 else "public",
            )
            article(
                f"Recording {shelf}-{number}",
                "Recording calls.",
                language="en",
                translation_of=polish,
                category=top,
            )


@pytest.mark.parametrize("name", PAGES)
def test_a_page_makes_a_fixed_number_of_queries(
    name, shelves, agent, customer, django_assert_max_num_queries
):
    url, most = PAGES[name]
    if name == "search" and connection.vendor == "postgresql":
        # Search reads through the GIN indexes (core.search._through_the_index):
        # a savepoint, the planner's settings and their reset, once a search.
        most += 4
    for client, extra in [(Client(), 0), (client_for(customer), 3), (client_for(agent), 3)]:
        client.get(url)  # the first request of a signed-in client loads its session
        with django_assert_max_num_queries(most + extra):
            assert client.get(url).status_code == 200
