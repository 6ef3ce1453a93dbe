"""A Freshdesk Solutions export (one JSON file with categories, folders
and articles, or a folder holding the three lists as the API returns them)
becomes articles: a folder's visibility decides the readers (1 all users:
public, 2 logged-in users and 4 selected companies: customers, 3 agents:
internal), status 1 is a draft, the SEO description is the summary, and
articles sharing an id in two languages are translations."""

from pathlib import Path

import pytest

from carebase.kb.imports_external import import_external
from carebase.kb.models import Article

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


@pytest.fixture(params=["freshdesk-solutions.json", "freshdesk"])
def report(request, admin):
    return import_external(DATA / request.param, "freshdesk", admin)


def fields(slug):
    article = Article.objects.get(slug=slug)
    return article.visibility, article.status, article.category.slug


def test_a_folders_visibility_decides_who_reads_its_articles(report):
    assert (report.created, report.categories) == (5, 6)
    assert fields("pierwsze-logowanie-do-panelu") == ("public", "published", "konfiguracja-konta")
    assert fields("limity-polaczen-jednoczesnych") == (
        "customers",
        "published",
        "dla-zalogowanych-klientow",
    )
    assert fields("eskalacja-awarii-procedura-dyzurna") == ("internal", "published", "procedury")
    assert fields("cennik-uslug-dodatkowych") == ("customers", "draft", "klienci-kluczowi")
    assert (
        Article.objects.get(
            slug="procedury" and "eskalacja-awarii-procedura-dyzurna"
        ).category.parent.slug
        == "dla-zespolu-wsparcia"
    )


def test_one_id_in_two_languages_is_one_article_translated(report):
    polish = Article.objects.get(language="pl", slug="pierwsze-logowanie-do-panelu")
    english = Article.objects.get(language="en", slug="first-sign-in-to-the-dashboard")
    assert polish.group == english.group
    assert polish.summary == "Jak aktywować konto i ustawić bezpieczne hasło."
    assert english.summary == "Activate your account and set a strong password."
    assert sorted(polish.tags.values_list("name", flat=True)) == ["hasło", "logowanie"]


def test_the_description_becomes_markdown_without_script_or_javascript_link(report):
    article = Article.objects.get(language="pl", slug="pierwsze-logowanie-do-panelu")
    assert article.body.startswith(
        "Po założeniu konta dostaniesz e-mail z **linkiem aktywacyjnym**."
    )
    assert "## Hasło" in article.body and "- Włącz logowanie dwuetapowe." in article.body
    assert "Kliknij tutaj, jeśli link wygasł." in article.body
    assert "javascript" not in article.body_html and "<script" not in article.body_html
    assert "cookie" not in article.body_html
