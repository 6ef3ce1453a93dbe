from email.message import EmailMessage
from pathlib import Path

import pytest

from carebase.accounts.models import Team
from carebase.mail.models import Mailbox

# The corpus of real and malformed messages (../shared/data/email/README.md).
CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "email"


@pytest.fixture
def mailbox(db) -> Mailbox:
    support = Team.objects.get_or_create(
        slug="support", defaults={"name": "Support", "kind": "support"}
    )[0]
    return Mailbox.objects.create(name="pomoc", address="pomoc@carebase.test", team=support)


def compose(
    *,
    sender: str = "Anna Nowak <anna@klient.example>",
    to: str = "pomoc@carebase.test",
    subject: str = "Nagrania rozmów nie działają",
    body: str = "Od wczoraj nie nagrywają się rozmowy przychodzące.",
    message_id: str | None = "<first@klient.example>",
    html: str | None = None,
    **headers: str,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    if message_id:
        message["Message-ID"] = message_id
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message.as_bytes()


@pytest.fixture
def imap(tmp_path_factory):
    """A real Dovecot IMAP server on loopback, for this test."""
    from carebase.mail.tests.imap_server import imap_server

    with imap_server(tmp_path_factory.getbasetemp()) as server:
        yield server


@pytest.fixture
def imap_mailbox(mailbox, imap, monkeypatch):
    monkeypatch.setenv("IMAP_PASSWORD_POMOC", imap.password)
    mailbox.imap_host = imap.host
    mailbox.imap_port = imap.port
    mailbox.imap_security = "none"
    mailbox.imap_username = imap.user
    mailbox.imap_password_env = "IMAP_PASSWORD_POMOC"
    mailbox.save()
    return mailbox
