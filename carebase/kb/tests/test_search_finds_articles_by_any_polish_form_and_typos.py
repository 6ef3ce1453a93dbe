"""Search reads Polish inflection, text without Polish letters, and typos
within one edit; title and summary weigh more than the body."""

import pytest

from carebase.core import search
from carebase.kb.access import readable_articles
from carebase.kb.models import SEARCH_KIND
from carebase.kb.tests.kb_helpers import article

pytestmark = pytest.mark.django_db


def found(text, user=None):
    hits = search.ranked(SEARCH_KIND, text, readable_articles(user))
    return [hit.object_id for hit in hits]


@pytest.fixture
def articles():
    return {
        "forwarding": article(
            "Konfiguracja przekierowań połączenia",
            "Ustaw, dokąd trafiają połączenia, gdy nikt nie odbiera.",
            summary="Przekierowanie na inny numer lub do kolejki.",
        ),
        "recording": article(
            "Nagrywanie rozmów",
            "Włącz nagrywanie w ustawieniach projektu. Nagrania przechowujemy 90 dni.",
        ),
        "invoice": article(
            "How to download an invoice",
            "Invoices are in Billing. Each invoice can be downloaded as a PDF.",
            language="en",
        ),
        "mention": article(
            "Raporty",
            "Raport pokazuje także przekierowania połączeń, ale nie o tym jest ten tekst.",
        ),
    }


def test_an_inflected_query_finds_the_article_titled_in_other_forms(articles):
    assert found("konfiguracji przekierowania połączeń")[0] == articles["forwarding"].pk


def test_a_query_without_polish_letters_finds_it(articles):
    assert found("przekierowan polaczenia")[0] == articles["forwarding"].pk
    assert found("nagran rozmow") == [articles["recording"].pk]


def test_a_typo_within_one_edit_still_finds_its_word(articles):
    assert found("przekierowanei")[0] == articles["forwarding"].pk
    assert found("invocie") == [articles["invoice"].pk]
    assert found("nagrywnaie") == [articles["recording"].pk]


def test_the_title_outranks_a_mention_in_the_body(articles):
    assert found("przekierowania połączeń") == [articles["forwarding"].pk, articles["mention"].pk]


def test_a_question_finds_the_article_that_answers_it(articles):
    assert found("jak długo przechowujecie nagrania?")[0] == articles["recording"].pk
    assert found("where can I download my invoices")[0] == articles["invoice"].pk


def test_snippets_mark_the_words_found_in_any_form(articles):
    parsed = search.ranked_query(SEARCH_KIND, "nagrania")
    snippet = search.highlight("Włącz nagrywanie. Nagrania <b>przechowujemy</b> 90 dni.", parsed)
    assert "<mark>Nagrania</mark>" in snippet
    assert "&lt;b&gt;" in snippet  # the text is escaped


def test_an_unpublished_article_is_not_found(articles):
    draft = article("Przekierowanie warunkowe", publish=False)
    assert draft.pk not in found("przekierowanie warunkowe")
