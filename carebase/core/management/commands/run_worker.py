"""Run background tasks, write the heartbeat /healthz reads, enqueue periodic jobs.

The task loop is django-tasks-db's worker; a side thread with its own
database connection beats every WORKER_HEARTBEAT_SECONDS and enqueues the
periodic jobs that are due (see carebase.core.schedule).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from carebase.core.models import WorkerHeartbeat
from carebase.core.realtime import relay_through_database
from carebase.core.schedule import enqueue_due_jobs
from carebase.core.search import warm_up

logger = logging.getLogger("carebase.worker")


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str, interval: float) -> None:
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.stopped = threading.Event()
        self.started_at = timezone.now()

    def beat(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "last_seen_at": now,
            },
        )
        for name in enqueue_due_jobs(now):
            logger.info("Enqueued periodic job %s", name)

    def run(self) -> None:
        while not self.stopped.is_set():
            close_old_connections()
            try:
                self.beat()
            except DatabaseError:
                # The database may be briefly locked or restarting: the next
                # beat tries again, and /healthz reports the gap meanwhile.
                logger.exception("Heartbeat failed")
            self.stopped.wait(self.interval)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        connection.close()


class Command(BaseCommand):
    help = "Run the background task worker with its heartbeat and periodic-job schedule."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--queue-name", default="*", help="Queues to serve (comma list).")

    def handle(self, *args: Any, interval: float, queue_name: str, **options: Any) -> None:
        warm_up()
        worker_id = f"{socket.gethostname()[:40]}-{uuid.uuid4().hex[:12]}"
        heartbeat = Heartbeat(worker_id, float(settings.WORKER_HEARTBEAT_SECONDS))
        heartbeat.start()
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        self.stdout.write(f"Worker {worker_id} started")
        try:
            # Its tasks' live updates reach the web process through the
            # database when they cannot travel by Redis (core/relay.py).
            with relay_through_database():
                worker.run()
        finally:
            heartbeat.stopped.set()
            heartbeat.join(timeout=5)
