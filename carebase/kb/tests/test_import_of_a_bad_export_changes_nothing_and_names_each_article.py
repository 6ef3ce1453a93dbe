"""A bad export imports nothing and says why, article by article: an
article without a title, one in a language other than Polish or English,
an entry that is not an object, two locales of one language, a file that is
not JSON or has the wrong shape, a CSV without a needed column. The
articles already there stay as they were."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from carebase.kb.imports_external import import_external
from carebase.kb.models import Article, ArticleVersion, Category

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def problems(path, source_format="zendesk"):
    with pytest.raises(ValidationError) as error:
        import_external(path, source_format, None)
    return error.value.message_dict["files"]


def test_each_bad_article_is_named_and_nothing_is_imported(admin):
    import_external(DATA / "freshdesk-solutions.json", "freshdesk", admin)
    before = (Article.objects.count(), ArticleVersion.objects.count(), Category.objects.count())

    found = problems(DATA / "zendesk-bad.json")

    assert len(found) == 3
    assert "article 4400900002 (pl)" in found[1] and "it has no title" in found[1]
    assert "article 4400900003 (de) “Rechnung herunterladen”" in found[2]
    assert "neither Polish (pl) nor English (en)" in found[2]
    assert found[0] == "zendesk-bad.json: article number 4 is not an object"
    after = (Article.objects.count(), ArticleVersion.objects.count(), Category.objects.count())
    assert after == before
    assert not Article.objects.filter(title="Poprawny artykuł").exists()


def test_two_locales_of_one_language_are_refused(tmp_path):
    export = tmp_path / "articles.json"
    row = {"id": 1, "title": "Invoices", "body": "<p>x</p>", "locale": "en-us"}
    export.write_text(json.dumps({"articles": [row, {**row, "locale": "en-gb"}]}))
    [problem] = problems(export)
    assert problem.startswith("articles.json, article 1 (en-gb) “Invoices”: ")
    assert "already imported in this language" in problem


def test_a_translation_without_its_article_is_refused(tmp_path):
    export = tmp_path / "translations.json"
    row = {"id": 5, "source_id": 404, "title": "Orphan", "body": "<p>x</p>", "locale": "en-us"}
    export.write_text(json.dumps({"translations": [row]}))
    assert problems(export) == [
        "translations.json, article 404 (en-us) “Orphan”: its article is not in the export"
    ]


def test_a_file_that_is_not_json_or_has_the_wrong_shape_is_refused(tmp_path):
    (tmp_path / "broken.json").write_text("{'articles': [")
    [problem] = problems(tmp_path / "broken.json")
    assert problem.startswith("broken.json: this is not JSON")
    (tmp_path / "tickets.json").write_text('{"tickets": []}')
    [problem] = problems(tmp_path / "tickets.json", "freshdesk")
    assert problem == (
        "tickets.json: expected an object with a list of “categories”, “folders”, “articles”"
    )
    (tmp_path / "empty.json").write_text('{"articles": []}')
    assert problems(tmp_path / "empty.json") == ["empty.json: there are no articles in it"]
    assert Article.objects.count() == 0 and Category.objects.count() == 0


def test_freshdesk_articles_with_an_unknown_status_or_no_language_are_refused(tmp_path):
    export = tmp_path / "solutions.json"
    rows = [
        {"id": 7, "title": "Szkic", "description": "<p>x</p>", "status": 3},
        {"id": 8, "title": "Bez języka", "description": "<p>x</p>", "status": 2, "language": ""},
        {"id": 9, "title": "Ukrainian", "description": "<p>x</p>", "status": 2, "language": "uk"},
    ]
    export.write_text(json.dumps({"articles": rows}))
    found = problems(export, "freshdesk")
    assert "unknown status “3” (1 is a draft, 2 published)" in found[0]
    assert found[1].startswith("solutions.json, article 9 (uk) “Ukrainian”: its language “uk”")
    assert len(found) == 2  # no language said: Polish, the knowledge base's first language


def test_a_csv_without_a_needed_column_is_refused(tmp_path):
    export = tmp_path / "articles.csv"
    export.write_text("Article ID,Title,Locale\n1,Faktury,pl\n", encoding="utf-8")
    assert problems(export) == ["articles.csv: the header row has no column Body"]
    export.write_text("Article ID,Title,Body,Locale,Draft\n1,Faktury,<p>x</p>,pl,maybe\n")
    [problem] = problems(export)
    assert problem.startswith("articles.csv:2, article 1 (pl) “Faktury”: Draft is “maybe”")
