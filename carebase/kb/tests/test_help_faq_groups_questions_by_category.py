"""The FAQ page: every FAQ entry the reader may read, grouped by category,
the question as a heading and the answer below, with FAQPage JSON-LD."""

import json
import re

import pytest
from django.test import Client

from carebase.kb.models import Category
from carebase.kb.tests.kb_helpers import article

pytestmark = pytest.mark.django_db


def test_questions_are_grouped_by_category_with_their_answers():
    billing = Category.objects.create(
        slug="billing", name_pl="Płatności", name_en="Billing", position=2
    )
    numbers = Category.objects.create(
        slug="numbers", name_pl="Numery", name_en="Numbers", position=1
    )
    article("Czy mogę zachować numer?", "Tak, przenieś go.", kind="faq", category=numbers)
    article(
        "Gdzie jest faktura?", "W zakładce **Płatności** na górze.", kind="faq", category=billing
    )
    article("Bez kategorii?", "Też jest.", kind="faq")
    article("Przewodnik po fakturach", "Długi tekst.", category=billing)
    article("Rabat dla VIP?", "Do 20%.", kind="faq", category=billing, visibility="internal")
    html = Client().get("/help/pl/faq/").content.decode()
    main = html[html.index("<main") :]
    numbers_at = main.index('<h2><a href="/help/pl/categories/numbers/">Numery</a></h2>')
    billing_at = main.index('<h2><a href="/help/pl/categories/billing/">Płatności</a></h2>')
    assert numbers_at < main.index("Czy mogę zachować numer?") < billing_at
    assert billing_at < main.index("Gdzie jest faktura?")
    assert "W zakładce <strong>Płatności</strong> na górze." in html
    assert "Bez kategorii?" in html
    assert "Przewodnik po fakturach" not in html and "Rabat dla VIP?" not in html
    (data,) = [
        json.loads(text)
        for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    ]
    assert data["@type"] == "FAQPage"
    assert [question["name"] for question in data["mainEntity"]] == [
        "Czy mogę zachować numer?",
        "Gdzie jest faktura?",
        "Bez kategorii?",
    ]
    assert data["mainEntity"][1]["acceptedAnswer"]["text"] == "W zakładce Płatności na górze."


def test_an_empty_faq_says_so_in_the_pages_language():
    html = Client().get("/help/en/faq/").content.decode()
    assert "There are no questions here yet." in html
    assert "application/ld+json" not in html
