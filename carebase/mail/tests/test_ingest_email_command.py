"""`manage.py ingest_email`: one message on stdin, one JSON line out, exit 75
only when the database cannot be reached (a mail server's pipe retries)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from carebase.mail.models import InboundEmail
from carebase.mail.tests.conftest import CORPUS, compose

ROOT = Path(__file__).resolve().parents[3]


def run(monkeypatch, raw, *args):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("ingest_email", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_a_message_is_created_then_appended_then_a_duplicate(monkeypatch, mailbox):
    created = run(monkeypatch, compose(), "--mailbox", "pomoc")
    assert created["status"] == "created"
    assert created["reference"] == f"#{created['ticket']}"
    reply = compose(message_id="<second@klient.example>", In_Reply_To="<first@klient.example>")
    assert run(monkeypatch, reply, "--mailbox", "pomoc") == {**created, "status": "appended"}
    assert run(monkeypatch, reply)["status"] == "duplicate"


@pytest.mark.django_db
def test_an_unreadable_message_is_stored_and_needs_attention(monkeypatch, mailbox):
    result = run(monkeypatch, b"this is not an email at all, no headers")
    assert result == {"ticket": None, "reference": None, "status": "needs_attention"}
    stored = InboundEmail.objects.get()
    assert bytes(stored.raw) == b"this is not an email at all, no headers"
    assert stored.error


@pytest.mark.django_db
def test_an_unknown_mailbox_is_refused_and_nothing_is_stored(monkeypatch, mailbox):
    with pytest.raises(CommandError, match="No mailbox"):
        run(monkeypatch, compose(), "--mailbox", "nowhere")
    assert not InboundEmail.objects.exists()


def test_an_unreachable_database_exits_75_for_the_mail_server_to_retry():
    environment = {
        **os.environ,
        "DATABASE_URL": "postgres://carebase@127.0.0.1:9/carebase",
        "DJANGO_SETTINGS_MODULE": "carebase.settings",
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "ingest_email"],
        input=(CORPUS / "django-helpdesk" / "quoted_printable.eml").read_bytes(),
        capture_output=True,
        env=environment,
        timeout=60,
    )
    assert done.returncode == 75, done.stderr.decode()[-2000:]
    assert b"cannot be reached" in done.stderr
