"""Zendesk's article CSV (Article ID, Title, Body, Locale, Section...)
imports like its JSON: rows sharing an Article ID are translations, a
section known by its id gathers its names in both languages, Draft and User
Segment set the status and the readers, and the body loses its script."""

from pathlib import Path

import pytest

from carebase.kb.imports_external import import_external
from carebase.kb.models import Article, Category

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


@pytest.fixture
def report(admin):
    return import_external(DATA / "zendesk-articles.csv", "zendesk", admin)


def test_rows_with_one_article_id_are_translations(report):
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    polish = Article.objects.get(language="pl", slug="ustawienia-powiadomien-e-mail")
    english = Article.objects.get(language="en", slug="email-notification-settings")
    assert polish.group == english.group
    assert polish.category == english.category
    assert (polish.category.name_pl, polish.category.name_en) == ("Konto", "Account")
    assert polish.category.parent.name_en == "Getting started"
    assert sorted(polish.tags.values_list("name", flat=True)) == ["e-mail", "powiadomienia"]


def test_draft_and_user_segment_columns_set_status_and_readers(report):
    article = Article.objects.get(slug="zazolc-gesla-jazn-znaki-diakrytyczne-w-sms")
    assert (article.title, article.status, article.visibility) == (
        "Zażółć gęślą jaźń \N{EN DASH} znaki diakrytyczne w SMS",
        "draft",
        "customers",
    )
    published = Article.objects.get(slug="ustawienia-powiadomien-e-mail")
    assert (published.status, published.visibility) == ("published", "public")


def test_the_body_keeps_its_text_and_loses_its_script(report):
    article = Article.objects.get(slug="zazolc-gesla-jazn-znaki-diakrytyczne-w-sms")
    assert article.body == "Wiadomość z polskimi znakami ma do **70** znaków.\n\nBez nich: 160.\n"
    assert "fetch" not in article.body_html and "onclick" not in article.body_html
    links = Article.objects.get(slug="ustawienia-powiadomien-e-mail").body
    assert "[„Powiadomienia SMS”](https://pomoc.example.pl/hc/pl/articles/123)" in links
    assert Category.objects.count() == 3
