"""IMAP intake: every unseen message of a mailbox's folder is stored, then
marked seen, then filed. A crash between storing and marking means the
message is fetched again next time, and filed as a duplicate of itself:
the order loses nothing and doubles nothing."""

from __future__ import annotations

import contextlib
import ssl
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from carebase.core.crypto import UnreadableSecret
from carebase.mail.actions import do_process_emails, do_receive_emails
from carebase.mail.models import ImapSecurity, InboundEmail, Mailbox

BATCH = 50  # messages fetched per round trip
TIMEOUT = 30  # seconds for the connection and each command


class FetchError(Exception):
    pass


@dataclass
class FetchResult:
    mailbox: Mailbox
    stored: int = 0
    error: str = ""


def connect(mailbox: Mailbox) -> Any:
    """A logged-in IMAPClient for the mailbox; FetchError with a readable
    reason when that fails (shown on the mailbox, and by "test connection")."""
    import imapclient
    from imapclient.exceptions import IMAPClientError

    if not mailbox.imap_host or not mailbox.imap_username:
        raise FetchError("The mailbox has no IMAP server or user name.")
    try:
        password = mailbox.imap_password()
    except UnreadableSecret as error:
        raise FetchError(str(error)) from error
    if mailbox.imap_password_env and not password:
        raise FetchError(f"The environment variable {mailbox.imap_password_env} is not set.")
    if not password:
        raise FetchError("The mailbox has no IMAP password.")
    try:
        client = imapclient.IMAPClient(
            mailbox.imap_host,
            port=mailbox.imap_port,
            ssl=mailbox.imap_security == ImapSecurity.TLS,
            ssl_context=ssl.create_default_context(),
            timeout=TIMEOUT,
        )
        if mailbox.imap_security == ImapSecurity.STARTTLS:
            client.starttls(ssl.create_default_context())
        client.login(mailbox.imap_username, password)
    except (OSError, IMAPClientError) as error:
        raise FetchError(f"{type(error).__name__}: {error}") from error
    return client


def fetch_mailbox(mailbox: Mailbox) -> FetchResult:
    from imapclient.exceptions import IMAPClientError

    result = FetchResult(mailbox)
    inbound: list[InboundEmail] = []
    try:
        client = connect(mailbox)
        try:
            client.select_folder(mailbox.imap_folder)
            uids = client.search(["UNSEEN"])
            for start in range(0, len(uids), BATCH):
                batch = uids[start : start + BATCH]
                # BODY.PEEK: reading must not mark it seen before it is stored.
                fetched = {
                    uid: data[b"BODY[]"]
                    for uid, data in client.fetch(batch, ["BODY.PEEK[]"]).items()
                    if data.get(b"BODY[]")
                }
                if not fetched:
                    continue
                # Stored in one commit, then marked seen: a crash between the two
                # fetches them again (duplicates, which filing recognises), never
                # loses one.
                inbound += do_receive_emails(list(fetched.values()), mailbox=mailbox, source="imap")
                client.add_flags(list(fetched), [b"\\Seen"])
                result.stored += len(fetched)
                # Filed batch by batch: a large backlog starts to show at once,
                # and what is stored waits minutes at most, never the whole fetch.
                _process(inbound)
        finally:
            # A lost connection here changes nothing: what was stored stays stored.
            with contextlib.suppress(OSError, IMAPClientError):
                client.logout()
    except FetchError as error:
        result.error = str(error)
    except (OSError, IMAPClientError) as error:
        result.error = f"{type(error).__name__}: {error}"
    _process(inbound)
    mailbox.last_fetch_at = timezone.now()
    mailbox.last_fetch_error = result.error
    mailbox.save(update_fields=["last_fetch_at", "last_fetch_error"])
    return result


def _process(inbound: list[InboundEmail]) -> None:
    if inbound:
        do_process_emails(inbound)
        inbound.clear()


def fetch_all() -> list[FetchResult]:
    return [
        fetch_mailbox(mailbox)
        for mailbox in Mailbox.objects.filter(active=True).exclude(imap_host="").order_by("name")
    ]
