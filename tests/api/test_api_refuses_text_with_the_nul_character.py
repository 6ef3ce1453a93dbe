"""JSON and URLs can carry U+0000, which no PostgreSQL text can hold: the
API refuses it with a 422 at the field, on either database, and saves nothing
(the fuzzer found a subject of "a\\u0000b" to be a server error on PostgreSQL)."""

import pytest

from carebase.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_a_subject_with_nul_is_refused_at_its_field(customer, api_as):
    response = api_as(customer).post(
        "/tickets", raw='{"subject": "Faktura\\u0000", "body": "Nie ma faktury."}'
    )
    assert response.status_code == 422, response.content
    assert response.json()["detail"] == [
        {
            "loc": ["body", "subject"],
            "msg": "Text may not contain the NUL character (\\u0000).",
            "type": "value_error",
        }
    ]
    assert not Ticket.objects.exists()


def test_nul_deep_in_a_body_is_found_in_lists_and_keys(head_of_support, api_as):
    api = api_as(head_of_support)
    in_list = api.post(
        "/tickets",
        raw='{"subject": "s", "body": "b", "requester": {"email": "a@example.com"},'
        ' "tags": ["ok", "bad\\u0000"]}',
    )
    assert in_list.status_code == 422
    assert in_list.json()["detail"][0]["loc"] == ["body", "tags", 1]
    in_key = api.post("/tickets", raw='{"subject": "s", "body": "b", "x\\u0000": 1}')
    assert in_key.status_code == 422
    assert in_key.json()["detail"][0]["loc"] == ["body", "x\\u0000"]
    assert not Ticket.objects.exists()


def test_nul_in_a_query_string_is_refused(head_of_support, api_as):
    response = api_as(head_of_support).get("/tickets", q="faktura\x00")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "q"]


def test_a_body_that_is_not_json_is_still_a_400(head_of_support, api_as):
    response = api_as(head_of_support).post("/tickets", raw="{not json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}
