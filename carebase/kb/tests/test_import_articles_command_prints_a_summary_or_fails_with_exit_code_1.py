"""`manage.py import_articles PATH --format markdown|zendesk|freshdesk`
prints one JSON line of counts; `--dry-run` counts and changes nothing;
`--as` names the author. On a problem it lists them on standard error,
exits with 1, and imports nothing."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, load_command_class

from carebase.kb.models import Article
from carebase.kb.tests.kb_helpers import article
from carebase.kb.transfer import export_zip

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def import_articles(*arguments):
    out = StringIO()
    call_command("import_articles", *map(str, arguments), stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_it_prints_the_counts_of_a_first_and_a_second_import(admin):
    first = import_articles(DATA / "zendesk", "--format", "zendesk", "--as", admin.username)
    assert first == {"created": 5, "updated": 0, "unchanged": 0, "categories": 4}
    assert Article.objects.get(slug="jak-pobrac-fakture").owner == admin
    again = import_articles(DATA / "zendesk", "--format", "zendesk")
    assert again == {"created": 0, "updated": 0, "unchanged": 5, "categories": 4}


def test_a_dry_run_counts_and_changes_nothing():
    summary = import_articles(DATA / "freshdesk-articles.csv", "--format", "freshdesk", "--dry-run")
    assert summary == {"created": 3, "updated": 0, "unchanged": 0, "categories": 4}
    assert Article.objects.count() == 0


def test_it_reads_the_zip_that_export_writes(admin, tmp_path):
    article("Zasady zamykania czatu", "Po 10 minutach ciszy.", visibility="internal")
    archive = tmp_path / "kb.zip"
    archive.write_bytes(export_zip(Article.objects.all()))
    Article.objects.all().delete()
    summary = import_articles(archive, "--format", "markdown")
    assert summary == {"created": 1, "updated": 0, "unchanged": 0, "categories": 0}
    assert Article.objects.get().visibility == "internal"


def test_a_bad_export_lists_its_problems_and_exits_with_1():
    with pytest.raises(CommandError) as error:
        import_articles(DATA / "zendesk-bad.json", "--format", "zendesk")
    assert error.value.returncode == 1
    message = str(error.value)
    assert message.startswith("Nothing was imported:\n")
    assert "article 4400900003 (de) “Rechnung herunterladen”" in message
    assert Article.objects.count() == 0
    with pytest.raises(CommandError, match="No user is called “nobody”"):
        import_articles(DATA / "zendesk", "--format", "zendesk", "--as", "nobody")
    with pytest.raises(CommandError, match="does not exist"):
        import_articles(DATA / "missing.json", "--format", "zendesk")


def test_from_the_command_line_the_problems_go_to_stderr_with_exit_code_1(capsys):
    command = load_command_class("carebase.kb", "import_articles")
    arguments = [str(DATA / "zendesk-bad.json"), "--format", "zendesk"]
    with pytest.raises(SystemExit) as exit:
        command.run_from_argv(["manage.py", "import_articles", *arguments])
    assert exit.value.code == 1
    output = capsys.readouterr()
    assert output.out == ""
    assert "CommandError: Nothing was imported:" in output.err
    assert "article 4400900002 (pl): it has no title" in output.err
