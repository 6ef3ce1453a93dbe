"""The periodic-job schedule: the one place that says what runs every N minutes.

Jobs are Django Tasks registered with `@periodic(every=...)` in an app's
tasks.py. The worker's heartbeat loop calls `enqueue_due_jobs()`; a job is
claimed with a conditional UPDATE on its PeriodicJobState row, so with any
number of workers each period enqueues it once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from carebase.core.models import PeriodicJobState


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Any  # a django_tasks Task
    every: timedelta


SCHEDULE: dict[str, PeriodicJob] = {}


def periodic(*, every: timedelta) -> Callable[[Any], Any]:
    def register(task: Any) -> Any:
        name = task.module_path
        SCHEDULE[name] = PeriodicJob(name=name, task=task, every=every)
        return task

    return register


def enqueue_due_jobs(now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    enqueued = []
    for job in SCHEDULE.values():
        PeriodicJobState.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
        claimed = PeriodicJobState.objects.filter(name=job.name, next_run_at__lte=now).update(
            next_run_at=now + job.every, last_enqueued_at=now
        )
        if claimed:
            job.task.enqueue()
            enqueued.append(job.name)
    return enqueued
