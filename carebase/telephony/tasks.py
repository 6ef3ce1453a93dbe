"""The phone channel's background work."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from carebase.core.schedule import periodic


@task()
def run_call_import(import_id: int) -> None:
    from carebase.telephony.actions import run_import

    run_import(import_id)


@periodic(every=timedelta(minutes=1))
@task()
def apply_stranded_events() -> None:
    """PBX events stored but not applied to their call (see actions)."""
    from carebase.telephony.actions import do_apply_stranded_events

    do_apply_stranded_events()
