"""An imported article's address comes from its title, in ASCII ("ł" is
"l" too), unique per language within the import (-2, -3...), and never
takes the address of an article that was there before the import."""

import json

import pytest

from carebase.kb.imports_external import import_external, slug_for
from carebase.kb.models import Article
from carebase.kb.tests.kb_helpers import article

pytestmark = pytest.mark.django_db


def test_slugs_fold_polish_letters():
    assert slug_for("Łódź: żółć, gęś i ŁAŃCUCH") == "lodz-zolc-ges-i-lancuch"


def test_titles_repeated_in_one_language_get_numbers_and_others_keep_theirs(admin, tmp_path):
    handwritten = article("Łódź i okolice", "Napisany ręcznie.")
    rows = [
        {"id": number, "locale": locale, "title": "Łódź i okolice", "body": f"<p>{number}</p>"}
        for number, locale in [(1, "pl"), (2, "pl"), (3, "pl"), (1, "en-us")]
    ]
    export = tmp_path / "articles.json"
    export.write_text(json.dumps({"articles": rows}))

    import_external(export, "zendesk", admin)

    imported = Article.objects.exclude(pk=handwritten.pk)
    assert sorted(imported.values_list("language", "slug")) == [
        ("en", "lodz-i-okolice"),
        ("pl", "lodz-i-okolice-2"),
        ("pl", "lodz-i-okolice-3"),
        ("pl", "lodz-i-okolice-4"),
    ]
    handwritten.refresh_from_db()
    assert (handwritten.body, handwritten.version) == ("Napisany ręcznie.", 1)
