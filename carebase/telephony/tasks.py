"""The phone channel's background work."""

from __future__ import annotations

from django_tasks import task


@task()
def run_call_import(import_id: int) -> None:
    from carebase.telephony.actions import run_import

    run_import(import_id)
