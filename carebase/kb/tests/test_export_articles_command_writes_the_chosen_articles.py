"""`manage.py export_articles OUT.zip` writes every article as
`<language>/<slug>.md` with `_categories.yaml`; `--language` and `--status`
narrow it. It prints one JSON line with the count."""

import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from carebase.kb.tests.kb_helpers import article

pytestmark = pytest.mark.django_db


def export(path, *options):
    out = StringIO()
    call_command("export_articles", str(path), *options, stdout=out)
    with zipfile.ZipFile(path) as archive:
        return json.loads(out.getvalue()), sorted(archive.namelist())


def test_it_writes_all_articles_or_those_chosen(tmp_path):
    article("Nagrywanie rozmów", "Włącz w ustawieniach.")
    article("Szkic cennika", "Jeszcze nie.", publish=False)
    article("Call recording", "Turn it on in the settings.", language="en")

    summary, names = export(tmp_path / "all.zip")
    assert summary == {"articles": 3, "file": str(tmp_path / "all.zip")}
    assert names == [
        "_categories.yaml",
        "en/call-recording.md",
        "pl/nagrywanie-rozmow.md",
        "pl/szkic-cennika.md",
    ]
    summary, names = export(tmp_path / "pl.zip", "--language", "pl", "--status", "published")
    assert (summary["articles"], names) == (1, ["_categories.yaml", "pl/nagrywanie-rozmow.md"])
    with zipfile.ZipFile(tmp_path / "pl.zip") as archive:
        text = archive.read("pl/nagrywanie-rozmow.md").decode()
    assert text.startswith("---\nslug: nagrywanie-rozmow\n")
    assert "title: Nagrywanie rozmów\n" in text and text.endswith("---\nWłącz w ustawieniach.\n")


def test_a_folder_it_cannot_write_into_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_articles", str(tmp_path / "missing" / "kb.zip"), stdout=StringIO())
