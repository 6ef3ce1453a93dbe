"""The state /healthz reports: the database and the task worker."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Max
from django.utils import timezone

from carebase.core.models import WorkerHeartbeat
from carebase.core.search import dictionaries_loaded


def health_report() -> tuple[bool, dict[str, Any]]:
    database: dict[str, Any] = {"ok": True}
    worker: dict[str, Any] = {"ok": False, "last_heartbeat": None}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        database = {"ok": False, "error": str(error)[:200]}
    if database["ok"]:
        try:
            last = WorkerHeartbeat.objects.aggregate(last=Max("last_seen_at"))["last"]
        except DatabaseError as error:
            database = {"ok": False, "error": str(error)[:200]}
            last = None
        if last is not None:
            age = (timezone.now() - last).total_seconds()
            worker = {
                "ok": age <= settings.WORKER_STALE_SECONDS,
                "last_heartbeat": last.isoformat(),
                "seconds_ago": round(age, 1),
            }
    if settings.TASK_BACKEND == "immediate":
        # Tasks run inline in the web process: there is no worker to be down.
        worker = {"ok": True, "last_heartbeat": None, "mode": "immediate"}
    healthy = bool(database["ok"] and worker["ok"])
    return healthy, {
        "status": "ok" if healthy else "unavailable",
        "database": database,
        "worker": worker,
        # Not part of the status: a process loading its dictionaries serves,
        # only its first search or message waits for them.
        "search": {"dictionaries_loaded": dictionaries_loaded()},
        "time": timezone.now().isoformat(),
        "stale_after_seconds": int(
            timedelta(seconds=settings.WORKER_STALE_SECONDS).total_seconds()
        ),
    }
