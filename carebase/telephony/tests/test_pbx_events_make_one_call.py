"""POST /api/v1/telephony/events: a PBX's call events, with its own token,
stored raw first; events of one call arriving out of order or twice end in
one correct call; bad bodies stay stored with why; a wrong token gets 403
and an oversized body 413, and neither stores anything."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from carebase.telephony.models import Call, Extension, Pbx, PbxEvent, Ring

pytestmark = pytest.mark.django_db

CALL = "1764579600.42"
STARTED = {"event": "started", "call_id": CALL, "at": "2026-11-30T10:00:00+01:00",
           "from": "+48 601 234 567", "to": "+48221000000", "caller_name": "Anna Nowak",
           "line": "support"}  # fmt: skip
RINGING = {
    "event": "ringing",
    "call_id": CALL,
    "at": "2026-11-30T10:00:05+01:00",
    "extension": "101",
}
RINGING_2 = {
    "event": "ringing",
    "call_id": CALL,
    "at": "2026-11-30T10:00:20+01:00",
    "extension": "100",
}
ANSWERED = {
    "event": "answered",
    "call_id": CALL,
    "at": "2026-11-30T10:00:30+01:00",
    "extension": "100",
}
ENDED = {"event": "ended", "call_id": CALL, "at": "2026-11-30T10:04:30+01:00", "reason": "hangup"}
RECORDED = {"event": "recording", "call_id": CALL, "at": "2026-11-30T10:04:31+01:00",
            "recording_url": "https://pbx.example.com/rec/1764579600.42.wav"}  # fmt: skip


@pytest.fixture
def pbx_token(agent):
    out = StringIO()
    call_command("pbx_token", "centrala", stdout=out, stderr=StringIO())
    Extension.objects.create(pbx=Pbx.objects.get(name="centrala"), number="100", user=agent)
    return out.getvalue().strip()


def post(token, body, **headers):
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return Client().post(
        "/api/v1/telephony/events",
        data=raw,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", **headers},
    )


def test_the_events_of_a_call_make_one_answered_call_with_its_agent_and_rings(pbx_token, agent):
    for event in (STARTED, RINGING, RINGING_2, ANSWERED, ENDED, RECORDED):
        response = post(pbx_token, event)
        assert response.status_code == 202, response.content
    call = Call.objects.get()
    assert (call.unique_id, call.direction, call.disposition) == (CALL, "inbound", "answered")
    assert (call.caller, call.callee, call.caller_name, call.line) == (
        "+48601234567", "+48221000000", "Anna Nowak", "support",
    )  # fmt: skip
    assert call.agent == agent
    assert (call.wait_seconds, call.talk_seconds) == (30, 240)
    assert call.recording_url.endswith("1764579600.42.wav")
    rings = [
        (ring.extension.number, ring.answered, ring.ring_seconds) for ring in Ring.objects.all()
    ]
    assert rings == [("101", False, 265), ("100", True, 10)]
    assert PbxEvent.objects.filter(processed_at__isnull=False).count() == 6
    assert Extension.objects.get(number="101").user is None  # kept, to be mapped


def test_events_out_of_order_and_twice_give_the_same_call(pbx_token):
    for event in (ENDED, ANSWERED, RINGING, ANSWERED, STARTED, RINGING_2, ENDED, RECORDED):
        assert post(pbx_token, event).status_code == 202
    call = Call.objects.get()
    assert (call.disposition, call.wait_seconds, call.talk_seconds) == ("answered", 30, 240)
    assert str(call.started_at) == "2026-11-30 09:00:00+00:00"
    assert Ring.objects.count() == 2
    assert PbxEvent.objects.count() == 8  # every body kept as it came


def test_an_event_for_an_unknown_call_creates_it_and_it_is_going_until_it_ends(pbx_token):
    response = post(pbx_token, RINGING)
    assert response.status_code == 202
    assert response.json()["disposition"] == "in_progress"
    call = Call.objects.get()
    assert call.ended_at is None
    post(pbx_token, STARTED)
    post(pbx_token, {**ENDED, "reason": "no_answer"})
    call.refresh_from_db()
    assert (call.disposition, call.missed_reason) == ("missed", "not_answered")


def test_a_call_nobody_was_rung_for_and_one_hung_up_in_the_menu(pbx_token):
    post(pbx_token, {**STARTED, "call_id": "a"})
    post(pbx_token, {**ENDED, "call_id": "a", "reason": "hangup"})
    post(pbx_token, {**STARTED, "call_id": "b"})
    post(pbx_token, {**ENDED, "call_id": "b", "reason": "menu"})
    post(pbx_token, {**STARTED, "call_id": "c", "at": "2026-11-30T10:04:28+01:00"})
    post(pbx_token, {**ENDED, "call_id": "c"})
    post(pbx_token, {**STARTED, "call_id": "d", "at": "2026-11-30T19:00:00+01:00"})
    post(pbx_token, {**ENDED, "call_id": "d", "at": "2026-11-30T19:01:00+01:00"})
    reasons = dict(Call.objects.values_list("unique_id", "missed_reason"))
    assert reasons == {
        "a": "no_agent",
        "b": "abandoned_in_menu",
        "c": "short_abandon",
        "d": "out_of_hours",
    }


def test_a_wrong_or_missing_token_is_refused_and_stores_nothing(pbx_token):
    assert post("cb_wrong", STARTED).status_code == 403
    response = Client().post(
        "/api/v1/telephony/events", data=json.dumps(STARTED), content_type="application/json"
    )
    assert response.status_code == 401
    # A user's API token is no PBX token.
    assert post("", STARTED).status_code in (401, 403)
    assert PbxEvent.objects.count() == 0
    assert Call.objects.count() == 0


def test_a_new_token_replaces_the_old_one(pbx_token):
    out = StringIO()
    call_command("pbx_token", "centrala", stdout=out)
    assert post(pbx_token, STARTED).status_code == 403
    assert post(out.getvalue().strip(), STARTED).status_code == 202


def test_an_oversized_event_gets_413_and_is_not_stored(pbx_token, settings):
    settings.PBX_EVENT_MAX_BYTES = 2048
    body = {**STARTED, "caller_name": "x" * 150, "padding": "y" * 4000}
    response = post(pbx_token, body)
    assert response.status_code == 413
    assert "2048 bytes" in response.json()["detail"]
    assert PbxEvent.objects.count() == 0


def test_a_body_that_is_no_event_is_kept_with_its_reason_and_changes_no_call(pbx_token):
    response = post(pbx_token, "{not json")
    assert response.status_code == 400
    response = post(pbx_token, {**STARTED, "event": "exploded", "at": "yesterday"})
    assert response.status_code == 422
    fields = {tuple(problem["loc"]) for problem in response.json()["detail"]}
    assert fields == {("body", "event"), ("body", "at")}
    stored = list(PbxEvent.objects.order_by("pk"))
    assert stored[0].body == "{not json"
    assert all(event.error and event.processed_at is None for event in stored)
    assert Call.objects.count() == 0


def test_the_events_endpoint_is_documented_with_its_body(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/telephony/events"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert {"event", "call_id", "at", "from", "to", "extension"} <= set(body["properties"])
    assert {"202", "403", "413"} <= set(operation["responses"])
