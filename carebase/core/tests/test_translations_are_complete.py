"""Every string of the interface has a Polish translation that Django will use."""

import subprocess
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "carebase/locale/pl/LC_MESSAGES/django.po"


def entries(*flags: str) -> list[str]:
    output = subprocess.run(
        ["msgattrib", *flags, "--no-wrap", str(PO)], capture_output=True, text=True, check=True
    ).stdout
    # The header is an entry with an empty msgid; it does not count.
    return [
        line for line in output.splitlines() if line.startswith("msgid ") and line != 'msgid ""'
    ]


def test_no_string_is_left_untranslated():
    assert entries("--untranslated") == []


def test_no_translation_is_a_fuzzy_guess():
    assert entries("--only-fuzzy") == []


def test_the_catalog_compiles_cleanly(tmp_path):
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(PO)], check=True)


def test_every_string_in_the_code_has_a_translation(tmp_path, settings, monkeypatch):
    """Extract the strings afresh (into a copy of the catalog): a string added to
    the code without `make messages` and a translation fails here."""
    import shutil

    from django.core.management import call_command

    locale = tmp_path / "locale"
    shutil.copytree(PO.parent.parent.parent, locale)
    settings.LOCALE_PATHS = [locale]
    monkeypatch.chdir(settings.BASE_DIR)
    call_command(
        "makemessages",
        locale=["pl"],
        # "locale" too: makemessages writes into any locale folder it walks past.
        ignore_patterns=[".venv", "node_modules", "var", "bench", "tests", "locale"],
        no_obsolete=True,
        no_location=True,
        verbosity=0,
    )
    fresh = locale / "pl/LC_MESSAGES/django.po"
    output = subprocess.run(
        ["msgattrib", "--untranslated", "--no-wrap", str(fresh)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    missing = [
        line for line in output.splitlines() if line.startswith("msgid ") and line != 'msgid ""'
    ]
    assert missing == [], "run `make messages` and translate: " + ", ".join(missing[:10])
