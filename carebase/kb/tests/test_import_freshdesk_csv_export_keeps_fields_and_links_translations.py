"""A Freshdesk CSV (semicolon separated, as a Polish spreadsheet saves it)
imports with the same mapping as the JSON: Visibility by number or by
Freshdesk's name, Status 1 or 2, folders under categories known by id, rows
sharing an Article ID are translations."""

from pathlib import Path

import pytest

from carebase.kb.imports_external import import_external
from carebase.kb.models import Article

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def test_a_freshdesk_csv_imports_with_translations_and_readers(admin):
    report = import_external(DATA / "freshdesk-articles.csv", "freshdesk", admin)
    assert (report.created, report.categories) == (3, 4)
    polish = Article.objects.get(language="pl", slug="jak-dodac-konsultanta")
    english = Article.objects.get(language="en", slug="how-do-i-add-an-agent")
    assert polish.group == english.group
    assert (polish.visibility, polish.status, polish.summary) == (
        "public",
        "published",
        "Dodawanie konsultanta krok po kroku.",
    )
    assert (polish.category.slug, polish.category.name_en, polish.category.parent.slug) == (
        "zespol",
        "Team",
        "pierwsze-kroki",
    )
    assert "1. Wpisz e-mail.\n2. Wybierz rolę." in polish.body
    procedure = Article.objects.get(slug="procedura-eskalacji-awarii")
    assert (procedure.visibility, procedure.status) == ("internal", "draft")
    assert "alert" not in procedure.body and "alert" not in procedure.body_html
