"""Importing the same export again changes nothing: every article counts as
unchanged, no version is added, no article is duplicated; so an import can
run again after a fix, or from cron."""

import json
import shutil
from pathlib import Path

import pytest

from carebase.kb.imports_external import import_external
from carebase.kb.models import Article, ArticleVersion, Category

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("source", "source_format", "articles"),
    [
        ("zendesk", "zendesk", 5),
        ("zendesk-articles.csv", "zendesk", 3),
        ("freshdesk-solutions.json", "freshdesk", 5),
        ("freshdesk-articles.csv", "freshdesk", 3),
    ],
)
def test_a_second_import_of_the_same_export_changes_nothing(admin, source, source_format, articles):
    first = import_external(DATA / source, source_format, admin)
    assert first.created == articles
    versions = list(ArticleVersion.objects.values_list("article_id", "number"))
    categories = Category.objects.count()
    second = import_external(DATA / source, source_format, admin)
    assert (second.created, second.updated, second.unchanged) == (0, 0, articles)
    assert list(ArticleVersion.objects.values_list("article_id", "number")) == versions
    assert Article.objects.count() == articles
    assert Category.objects.count() == categories


def test_a_translation_from_the_translations_api_joins_its_article(admin, tmp_path):
    export = tmp_path / "zendesk"
    shutil.copytree(DATA / "zendesk", export)
    translation = {
        "id": 99001,
        "source_id": 4400100002,
        "source_type": "Article",
        "locale": "en-us",
        "title": "Call recording: advanced settings",
        "body": "<p>Only signed-in customers see this.</p>",
        "draft": False,
    }
    (export / "translations-4400100002.json").write_text(
        json.dumps({"translations": [translation]})
    )
    first = import_external(export, "zendesk", admin)
    again = import_external(export, "zendesk", admin)
    assert (first.created, again.created, again.unchanged) == (6, 0, 6)
    english = Article.objects.get(language="en", slug="call-recording-advanced-settings")
    polish = Article.objects.get(language="pl", slug="nagrywanie-rozmow-ustawienia-zaawansowane")
    assert english.group == polish.group
    assert (english.visibility, english.category) == ("customers", polish.category)


def test_a_renamed_article_keeps_its_address_and_gets_a_new_version(admin, tmp_path):
    export = tmp_path / "zendesk"
    shutil.copytree(DATA / "zendesk", export)
    import_external(export, "zendesk", admin)
    articles = json.loads((export / "articles.json").read_text(encoding="utf-8"))
    articles["articles"][0]["title"] = "Gdzie znajdę faktury?"
    (export / "articles.json").write_text(json.dumps(articles), encoding="utf-8")

    report = import_external(export, "zendesk", admin)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    article = Article.objects.get(language="pl", slug="jak-pobrac-fakture")
    assert (article.title, article.version) == ("Gdzie znajdę faktury?", 2)
