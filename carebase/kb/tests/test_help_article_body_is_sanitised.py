"""A script, an event handler or a javascript: link written into an
article's Markdown never reaches the help center's readers."""

import pytest
from django.test import Client

from carebase.kb.tests.kb_helpers import article

pytestmark = pytest.mark.django_db

BODY = """## Nagrania

Tekst <script>alert('body')</script> dalej.

<img src="/x.png" onerror="alert('img')">

<a href="javascript:alert('link')">kliknij</a>

<iframe src="https://evil.example"></iframe>
"""


def test_the_article_page_shows_the_text_without_anything_that_runs():
    item = article("Nagrywanie", BODY, kind="faq")
    for url in [f"/help/pl/articles/{item.slug}/", "/help/pl/faq/"]:
        html = Client().get(url).content.decode()
        assert "Tekst" in html and "dalej." in html, url
        assert "alert(" not in html, url
        assert "onerror" not in html, url
        assert "javascript:" not in html, url
        assert "<iframe" not in html, url
