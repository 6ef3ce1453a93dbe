"""Inside core.deferred.deferring(), writes wait for the end of the batch; an
item that fails takes back what it queued, as its savepoint takes back its
rows, and a reader in the batch sees what is queued."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from carebase.core import deferred
from carebase.core.models import LiveEvent
from carebase.core.realtime import _write_live_events, relay_through_database, send_to_group

pytestmark = pytest.mark.django_db


def test_only_the_items_that_succeeded_are_written_once_the_batch_ends():
    with relay_through_database(), transaction.atomic(), deferred.deferring() as batch:
        send_to_group("team.1", "tickets_changed", {"ticket": 1})
        mark = batch.mark()
        try:
            with transaction.atomic():
                send_to_group("team.1", "tickets_changed", {"ticket": 2})
                raise ValueError("this message cannot be filed")
        except ValueError:
            batch.discard_since(mark)
        send_to_group("team.2", "tickets_changed", {"ticket": 3})
        # Nothing is written yet, but the batch knows what waits.
        assert not LiveEvent.objects.exists()
        assert [live.payload for live in deferred.queued(_write_live_events)] == [
            {"ticket": 1},
            {"ticket": 3},
        ]
    assert sorted(LiveEvent.objects.values_list("group", "payload")) == [
        ("team.1", {"ticket": 1}),
        ("team.2", {"ticket": 3}),
    ]


def test_outside_a_batch_writes_happen_at_once():
    assert deferred.queued(_write_live_events) == []
    with relay_through_database(), transaction.atomic():
        send_to_group("team.1", "tickets_changed", {"ticket": 1})
        assert LiveEvent.objects.count() == 1


def test_a_batch_that_fails_writes_nothing():
    with (
        pytest.raises(RuntimeError),
        relay_through_database(),
        transaction.atomic(),
        deferred.deferring(),
    ):
        send_to_group("team.1", "tickets_changed", {"ticket": 1})
        raise RuntimeError("the database went away")
    assert not LiveEvent.objects.exists()


def test_an_action_in_a_batch_item_shares_its_savepoint_and_fails_with_it():
    with relay_through_database(), transaction.atomic(), deferred.deferring() as batch:
        with batch.item():
            LiveEvent.objects.create(group="team.1", event="kept")
        with pytest.raises(ValueError), batch.item():
            LiveEvent.objects.create(group="team.1", event="before the action")
            with CaptureQueriesContext(connection) as queries, deferred.atomic():
                LiveEvent.objects.create(group="team.1", event="in the action")
                raise ValueError("the action fails")
        assert not [query for query in queries if "SAVEPOINT" in query["sql"]]
        with batch.item():
            LiveEvent.objects.create(group="team.1", event="after")
    # The failed item is gone whole, the rest of the batch stays.
    assert sorted(LiveEvent.objects.values_list("event", flat=True)) == ["after", "kept"]
