"""Help center search: Polish in any form, best match first, a snippet with
the words found marked, only the page's language and only what the reader
may read; an empty query shows nothing."""

import pytest
from django.test import Client

from carebase.kb.tests.kb_helpers import article
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return {
        "forwarding": article(
            "Konfiguracja przekierowań połączenia",
            "Ustaw, dokąd trafiają połączenia, gdy nikt nie odbiera.",
            summary="Przekierowanie na inny numer.",
        ),
        "mention": article("Raporty", "Raport pokazuje też przekierowania połączeń."),
        "internal": article(
            "Przekierowania dla VIP",
            "Połączenia VIP przekierowujemy do opiekuna.",
            visibility="internal",
        ),
        "english": article("Call forwarding", "Forward calls to another number.", language="en"),
    }


def results(client, query, language="pl"):
    return client.get(f"/help/{language}/search/", {"q": query}).content.decode()


def test_an_inflected_query_finds_the_article_first_with_the_words_marked(articles):
    html = results(Client(), "konfiguracji przekierowania połączeń")
    assert html.index("Konfiguracja przekierowań połączenia") < html.index("Raporty")
    assert "<mark>połączenia</mark>" in html
    assert "Call forwarding" not in html  # another language


def test_results_hold_only_what_the_reader_may_read(articles, agent):
    assert "Przekierowania dla VIP" not in results(Client(), "przekierowanie")
    assert "Przekierowania dla VIP" in results(client_for(agent), "przekierowanie")


def test_an_empty_query_shows_no_results_and_no_apology(articles):
    html = results(Client(), "   ")
    assert 'class="results"' not in html
    assert "Nothing matches" not in html


def test_nothing_found_says_so_and_the_query_is_escaped(articles):
    html = results(Client(), "<b>zzzz</b>", language="en")
    assert "Nothing matches “&lt;b&gt;zzzz&lt;/b&gt;”." in html
    assert "<b>zzzz</b>" not in html


def test_the_english_search_finds_english_articles(articles):
    assert "Call forwarding" in results(Client(), "forwarded calls", language="en")
