"""A moment in a filter may carry any offset ISO 8601 allows (the fuzzer
found +20:57, which PostgreSQL refuses): it is read as UTC, and one past the
last moment Python holds is refused with 422, not a 500."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_offset_beyond_postgresqls_range_is_read_as_utc(api_as, agent):
    response = api_as(agent).get(
        "/tickets", created_after="8509-10-11T22:41:39.44+20:57", created_before="2030-01-01T00:00Z"
    )
    assert response.status_code == 200
    calls = api_as(agent).get("/calls", since="2026-01-01T00:00+23:30")
    assert calls.status_code == 200


def test_a_moment_past_the_last_one_is_refused(api_as, agent):
    response = api_as(agent).get("/tickets", created_after="9999-12-31T23:00:00-10:00")
    assert response.status_code == 422
