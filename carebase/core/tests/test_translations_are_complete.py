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
