""" "Test connection" for a mailbox: log in to its IMAP folder and greet the
SMTP server as its address, touching nothing (the folder is opened read-only,
the SMTP envelope is reset before any recipient)."""

from __future__ import annotations

import contextlib
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carebase.mail.fetch import FetchError, connect
from carebase.mail.models import Mailbox


@dataclass(frozen=True)
class Check:
    protocol: str  # "imap", "smtp"
    ok: bool
    summary: str  # for people, translated
    detail: str = ""  # what the server said, as it said it


def check_imap(mailbox: Mailbox) -> Check:
    from imapclient.exceptions import IMAPClientError

    if not mailbox.fetches:
        return Check("imap", True, _("No IMAP server: mail arrives by the ingest_email pipe."))
    try:
        client = connect(mailbox)
    except FetchError as error:
        return Check("imap", False, _("Could not log in to the IMAP server."), str(error))
    try:
        status = client.folder_status(mailbox.imap_folder, [b"MESSAGES", b"UNSEEN"])
    except (OSError, IMAPClientError) as error:
        return Check(
            "imap",
            False,
            _("Logged in, but the folder “%(folder)s” cannot be opened.")
            % {"folder": mailbox.imap_folder},
            f"{type(error).__name__}: {error}",
        )
    finally:
        with contextlib.suppress(OSError, IMAPClientError):
            client.logout()
    count = status.get(b"MESSAGES", 0)
    summary = ngettext(
        "Logged in; “%(folder)s” holds %(count)d message, %(unseen)d of them unread.",
        "Logged in; “%(folder)s” holds %(count)d messages, %(unseen)d of them unread.",
        count,
    ) % {"folder": mailbox.imap_folder, "count": count, "unseen": status.get(b"UNSEEN", 0)}
    return Check("imap", True, summary)


def check_smtp(mailbox: Mailbox) -> Check:
    connection = get_connection(timeout=min(settings.EMAIL_TIMEOUT, 15))
    if not isinstance(connection, EmailBackend):
        return Check(
            "smtp",
            False,
            _("No SMTP server is configured (EMAIL_HOST): replies are not sent."),
            settings.EMAIL_BACKEND,
        )
    try:
        connection.open()
        server = connection.connection
        if server is None:  # open() returns quietly when fail_silently is set
            raise smtplib.SMTPServerDisconnected("no connection")
        server.ehlo_or_helo_if_needed()
        code, answer = server.mail(mailbox.address)
        server.rset()
    except (OSError, smtplib.SMTPException) as error:
        return Check(
            "smtp",
            False,
            _("Could not reach the SMTP server %(host)s:%(port)s.")
            % {"host": settings.EMAIL_HOST, "port": settings.EMAIL_PORT},
            f"{type(error).__name__}: {error}",
        )
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()
    detail = f"{code} {answer.decode(errors='replace')}"
    if code >= 400:
        return Check(
            "smtp",
            False,
            _("The SMTP server refuses to send from %(address)s.") % {"address": mailbox.address},
            detail,
        )
    return Check(
        "smtp",
        True,
        _("The SMTP server %(host)s accepts mail from %(address)s.")
        % {"host": settings.EMAIL_HOST, "address": mailbox.address},
        detail,
    )


def check_mailbox(mailbox: Mailbox) -> list[Check]:
    return [check_imap(mailbox), check_smtp(mailbox)]
