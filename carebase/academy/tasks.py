"""The academy's background work: attempts whose time ran out are closed
with the answers saved before their deadline, every minute, so that a
trainee who closed the tab still gets a result (and their mentor a scenario
answer to grade)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from carebase.core.schedule import periodic


@periodic(every=timedelta(minutes=1))
@task()
def close_expired_attempts() -> int:
    from carebase.academy.actions import close_expired_attempts as close

    return close()
