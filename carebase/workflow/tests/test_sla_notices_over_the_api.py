"""GET /api/v1/notices lists the caller's notices, oldest first and read on
with `next` like every list, `?unread=true` the unread ones; POST
/api/v1/notices/read marks `ids` or `all` and answers the counts; a body
that says neither, or both, is a 422 that changes nothing."""

from datetime import datetime

import pytest
import time_machine

from carebase.workflow.models import Notice
from carebase.workflow.tests.notice_helpers import (
    BREACHED,
    WARNED,
    at,
    conversation,
    policy,
    sweep_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(agent):
    policy()
    first = conversation("Rozmowy się nie nagrywają", assignee=agent)
    sweep_at(WARNED)
    sweep_at(BREACHED)
    conversation("Widget nie ładuje się", assignee=agent, opened=at(2026, 12, 7, 11, 0))
    sweep_at(at(2026, 12, 7, 11, 50))
    return first, list(Notice.objects.order_by("pk"))


def test_the_list_holds_each_notice_with_its_conversation_target_and_moment(
    notices, agent, api_as, django_assert_max_num_queries
):
    first, (warning, breach, later) = notices
    api = api_as(agent)
    with django_assert_max_num_queries(4):
        page = api.get("/notices", limit=2).json()
    assert [item["id"] for item in page["items"]] == [warning.pk, breach.pk]
    assert page["items"][1] == {
        "id": breach.pk,
        "ticket": {"id": first.pk, "reference": f"#{first.pk}", "subject": first.subject},
        "target": "first_response",
        "moment": "breach",
        "created_at": page["items"][1]["created_at"],
        "read_at": None,
    }
    assert datetime.fromisoformat(page["items"][1]["created_at"]) == BREACHED
    rest = api.get("/notices", limit=2, cursor=page["next"]).json()
    assert [item["id"] for item in rest["items"]] == [later.pk]
    assert rest["next"] is None


def test_marking_by_ids_then_all_answers_the_counts(notices, agent, api_as):
    _first, (warning, breach, later) = notices
    api = api_as(agent)
    with time_machine.travel(at(2026, 12, 7, 12, 0), tick=False):
        answer = api.post("/notices/read", {"ids": [warning.pk, breach.pk]})
    assert answer.status_code == 200
    assert answer.json() == {"marked": 2, "unread": 1}
    assert [item["id"] for item in api.get("/notices", unread="true").json()["items"]] == [later.pk]
    read = api.get("/notices", unread="false").json()["items"]
    assert [item["id"] for item in read] == [warning.pk, breach.pk]
    assert datetime.fromisoformat(read[0]["read_at"]) == at(2026, 12, 7, 12, 0)

    # Again: nothing more to mark, and the first time stays.
    assert api.post("/notices/read", {"ids": [warning.pk]}).json() == {"marked": 0, "unread": 1}
    assert api.post("/notices/read", {"all": True}).json() == {"marked": 1, "unread": 0}
    warning.refresh_from_db()
    assert warning.read_at == at(2026, 12, 7, 12, 0)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"all": False},
        {"all": 0},
        {"ids": [1], "all": True},
        {"ids": "1"},
        {"ids": ["1"]},
        {"ids": [0]},
        [1, 2],
        "all",
    ],
)
def test_a_body_that_is_not_ids_or_all_is_refused(notices, agent, api_as, body):
    answer = api_as(agent).post("/notices/read", body)
    assert answer.status_code == 422, answer.json()
    assert "detail" in answer.json()
    assert not Notice.objects.exclude(read_at=None).exists()


def test_the_schema_documents_the_notices(api_as, agent):
    schema = api_as(agent).get("/openapi.json").json()
    assert schema["paths"]["/api/v1/notices"]["get"]["tags"] == ["notices"]
    assert schema["paths"]["/api/v1/notices/read"]["post"]["tags"] == ["notices"]
