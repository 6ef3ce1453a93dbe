"""The messengers' background work."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from carebase.core.schedule import periodic


@task()
def file_update(update_id: int) -> None:
    from carebase.messengers.actions import do_file_update

    do_file_update(update_id)


@periodic(every=timedelta(minutes=1))
@task()
def file_stranded_updates() -> None:
    """Updates whose filing failed (a Bot API that did not answer with a
    file) or never ran, tried again."""
    from carebase.messengers.actions import do_file_update, due_updates

    for update_id in due_updates():
        do_file_update(update_id)


@task()
def send_messenger_reply(outbound_id: int) -> None:
    from carebase.messengers.outbound import attempt

    attempt(outbound_id)


@periodic(every=timedelta(minutes=1))
@task()
def retry_messenger_replies() -> None:
    from carebase.messengers.outbound import attempt, due

    for outbound_id in due():
        attempt(outbound_id)
