from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from carebase.core.management.commands.run_worker import Heartbeat
from carebase.core.models import PeriodicJobState, WorkerHeartbeat
from carebase.core.schedule import SCHEDULE, enqueue_due_jobs

pytestmark = pytest.mark.django_db


def test_the_housekeeping_job_is_on_the_schedule():
    assert "carebase.core.tasks.prune_finished_tasks" in SCHEDULE


def test_a_periodic_job_is_enqueued_once_per_period():
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = enqueue_due_jobs()
        again = enqueue_due_jobs()
    assert "carebase.core.tasks.prune_finished_tasks" in first
    assert "carebase.core.tasks.prune_finished_tasks" not in again
    with time_machine.travel(start + timedelta(hours=1, seconds=1), tick=False):
        assert "carebase.core.tasks.prune_finished_tasks" in enqueue_due_jobs()


def test_two_workers_claiming_at_once_enqueue_a_job_once():
    now = timezone.now()
    enqueue_due_jobs(now)
    state = PeriodicJobState.objects.get(name="carebase.core.tasks.prune_finished_tasks")
    PeriodicJobState.objects.filter(pk=state.pk).update(next_run_at=now)
    # The conditional UPDATE lets exactly one claim succeed for this period.
    claims = [
        PeriodicJobState.objects.filter(pk=state.pk, next_run_at__lte=now).update(
            next_run_at=now + timedelta(hours=1)
        )
        for _worker in range(2)
    ]
    assert claims == [1, 0]


def test_a_worker_heartbeat_is_what_healthz_reads(client, settings):
    settings.TASK_BACKEND = "database"
    heartbeat = Heartbeat("worker-test", interval=10)
    heartbeat.beat()
    row = WorkerHeartbeat.objects.get(worker_id="worker-test")
    assert (timezone.now() - row.last_seen_at).total_seconds() < 5
    assert client.get("/healthz").status_code == 200


def test_the_housekeeping_job_prunes_old_heartbeats():
    from carebase.core.tasks import prune_finished_tasks

    old = timezone.now() - timedelta(days=2)
    WorkerHeartbeat.objects.create(
        worker_id="gone", hostname="h", pid=1, started_at=old, last_seen_at=old
    )
    prune_finished_tasks.enqueue()
    assert not WorkerHeartbeat.objects.filter(worker_id="gone").exists()
