"""The email channel's background work."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from carebase.core.schedule import periodic
from carebase.mail import outbound
from carebase.mail.outbound import attempt, due


@task()
def send_outbound_email(outbound_id: int) -> None:
    attempt(outbound_id)


@periodic(every=timedelta(minutes=1))
@task()
def retry_outbound_email() -> None:
    """Replies a server refused for a while, once their pause is over."""
    for outbound_id in due():
        attempt(outbound_id)


@periodic(every=timedelta(minutes=1))
@task()
def fetch_mail() -> None:
    """Unseen mail of every mailbox with an IMAP server."""
    from carebase.mail.fetch import fetch_all

    fetch_all()


@periodic(every=timedelta(minutes=1))
@task()
def file_stranded_email() -> None:
    """Stored mail whose processing never ran (its process died first)."""
    from carebase.mail.actions import do_file_stranded_email

    do_file_stranded_email()


@task()
def send_acknowledgement(inbound_id: int) -> None:
    outbound.send_acknowledgement(inbound_id)
