from datetime import timedelta

import pytest
from django.utils import timezone

from carebase.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def beat(seconds_ago: float) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1",
        hostname="test",
        pid=1,
        started_at=now - timedelta(hours=1),
        last_seen_at=now - timedelta(seconds=seconds_ago),
    )


def test_healthz_is_200_with_a_recent_worker_heartbeat(client, settings):
    settings.TASK_BACKEND = "database"
    beat(3)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["worker"]["ok"] is True
    assert body["worker"]["last_heartbeat"]


def test_healthz_is_503_when_no_worker_ever_beat(client, settings):
    settings.TASK_BACKEND = "database"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == {"ok": False, "last_heartbeat": None}


def test_healthz_is_503_when_the_last_heartbeat_is_stale(client, settings):
    settings.TASK_BACKEND = "database"
    settings.WORKER_STALE_SECONDS = 60
    beat(120)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"]["ok"] is False
    assert response.json()["worker"]["seconds_ago"] >= 120


def test_healthz_reports_the_inline_task_mode_as_healthy(client, settings):
    settings.TASK_BACKEND = "immediate"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["worker"]["mode"] == "immediate"


def test_healthz_needs_no_login_and_is_not_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_favicon_address_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url.endswith("favicon.svg")


def test_monitors_may_ask_with_head(client):
    assert client.head("/healthz").status_code == 200


def test_healthz_says_whether_the_lemma_dictionaries_are_loaded_without_changing_the_status(
    client, settings
):
    from carebase.core import search

    settings.TASK_BACKEND = "immediate"
    search.load_dictionaries()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["search"] == {"dictionaries_loaded": True}
