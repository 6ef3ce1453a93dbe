"""Housekeeping jobs of the task system itself."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from carebase.core.models import LiveEvent, WorkerHeartbeat
from carebase.core.schedule import periodic

TASK_RESULT_RETENTION = timedelta(days=14)


@periodic(every=timedelta(hours=1))
@task()
def prune_finished_tasks() -> int:
    """Delete finished task results after two weeks, workers gone for a day,
    and live events nobody forwarded (no page was open) after an hour."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - TASK_RESULT_RETENTION
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    WorkerHeartbeat.objects.filter(last_seen_at__lt=timezone.now() - timedelta(days=1)).delete()
    LiveEvent.objects.filter(created_at__lt=timezone.now() - timedelta(hours=1)).delete()
    return deleted
