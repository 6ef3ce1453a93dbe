"""A Zendesk Guide export as the Help Center API returns it (a folder of
articles.json, sections.json and categories.json) becomes articles: the
locales of one article are translations of each other, sections become
categories under their Zendesk category, labels become tags, a user segment
makes an article for signed-in customers, a draft stays a draft, and the
HTML body becomes Markdown that renders without its script."""

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from carebase.kb.access import readable_articles
from carebase.kb.imports_external import import_external
from carebase.kb.models import Article, ArticleVersion
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


@pytest.fixture
def report(admin):
    return import_external(DATA / "zendesk", "zendesk", admin)


def test_every_article_and_locale_is_imported(report):
    assert (report.created, report.updated, report.unchanged, report.categories) == (5, 0, 0, 4)
    assert ArticleVersion.objects.count() == 4  # the draft has no published version


def test_the_locales_of_one_article_are_translations_of_each_other(report):
    polish = Article.objects.get(language="pl", slug="jak-pobrac-fakture")
    english = Article.objects.get(language="en", slug="how-do-i-download-an-invoice")
    assert polish.group == english.group
    assert (polish.title, english.title) == ("Jak pobrać fakturę?", "How do I download an invoice?")
    assert Article.objects.get(slug="call-forwarding-rules").language == "en"  # en-gb


def test_a_section_becomes_a_category_under_its_zendesk_category(report):
    article = Article.objects.get(language="pl", slug="jak-pobrac-fakture")
    assert article.category.slug == "faktury"
    assert (article.category.name_pl, article.category.name_en) == ("Faktury", "Invoices")
    assert article.category.parent.slug == "rozliczenia-i-platnosci"
    assert article.category.parent.name_en == "Billing and payments"


def test_labels_status_and_review_date_carry_over(report, admin):
    article = Article.objects.get(language="pl", slug="jak-pobrac-fakture")
    assert sorted(article.tags.values_list("name", flat=True)) == ["faktury", "płatności"]
    assert (article.status, article.visibility, article.owner) == ("published", "public", admin)
    assert article.reviewed_at.date() == date(2024, 11, 5)  # the source's last edit
    draft = Article.objects.get(slug="zmiana-numeru-lacza")
    assert (draft.status, draft.version) == ("draft", 0)


def test_an_article_with_a_user_segment_is_for_signed_in_customers(report, customer):
    article = Article.objects.get(slug="nagrywanie-rozmow-ustawienia-zaawansowane")
    assert article.visibility == "customers"
    assert readable_articles(customer).filter(pk=article.pk).exists()
    assert not readable_articles(AnonymousUser()).filter(pk=article.pk).exists()


def test_the_html_becomes_markdown_and_renders_without_its_script(report):
    article = Article.objects.get(language="pl", slug="jak-pobrac-fakture")
    assert "## Krok po kroku" in article.body
    assert "1. Zaloguj się do [panelu klienta](https://panel.example.pl/)." in article.body
    assert "3. Kliknij **Pobierz PDF** przy wybranej fakturze." in article.body
    # An image becomes a link to it.
    assert (
        "[Lista faktur](https://pomoc.example.zendesk.com/hc/article_attachments/" in article.body
    )
    assert "<script" not in article.body_html and "cookie" not in article.body_html
    assert '<a href="mailto:rozliczenia@example.pl"' in article.body_html
    recordings = Article.objects.get(slug="nagrywanie-rozmow-ustawienia-zaawansowane")
    assert "<td>Biznes</td><td>90</td>" in recordings.body_html  # a table stays a table
    assert "onmouseover" not in recordings.body_html
    assert "<code>GET /api/v1/calls/{id}/recording\n</code>" in recordings.body_html


def test_the_help_center_shows_the_imported_article_without_its_script(report, customer):
    page = Client().get("/help/pl/articles/jak-pobrac-fakture/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Zaloguj się do" in text and "panelu klienta" in text
    assert "zle.example" not in text and "document.cookie" not in text
    for_customers = "/help/pl/articles/nagrywanie-rozmow-ustawienia-zaawansowane/"
    assert Client().get(for_customers).status_code == 404
    assert client_for(customer).get(for_customers).status_code == 200
