"""The head ticks the organization tiers a calendar serves on its page and
sees them on the list; over the API `tiers` is written and read in the
tiers' order, left out on PUT it stays, and the schema lists its values.
The audit log records the tiers of each save and deletion."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebase.core.models import AuditEvent, Calendar
from carebase.testing import client_for
from carebase.workflow.calendars import CalendarData, do_save_calendar

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Premium — codziennie",
    "hours": "mon-sun 07:00-22:00",
    "time_zone": "Europe/Warsaw",
    "holiday_country": "",
    "days_off": "",
}


def _saved_tiers() -> list:
    return [
        event.data["tiers"]
        for event in AuditEvent.objects.filter(kind="workflow.calendar_saved").order_by("pk")
    ]


def test_the_head_ticks_the_tiers_on_the_page_and_sees_them_listed(head_of_support):
    client = client_for(head_of_support)
    blank = client.get("/workflow/calendars/new/").content.decode()
    assert "Organization tiers served" in blank and 'value="strategic"' in blank

    response = client.post("/workflow/calendars/new/", {**FORM, "tiers": ["key", "strategic"]})
    assert response.status_code == 302
    calendar = Calendar.objects.get()
    listed = client.get("/workflow/calendars/").content.decode()
    assert "Strategic, Key" in listed

    edit = client.get(f"/workflow/calendars/{calendar.pk}/")
    assert edit.context["form"].initial["tiers"] == ["strategic", "key"]
    assert client.post(f"/workflow/calendars/{calendar.pk}/", FORM).status_code == 302  # unticked
    assert not calendar.tiers.exists()
    assert _saved_tiers() == [["strategic", "key"], []]


def test_the_api_writes_and_reads_the_tiers(api_as, head_of_support, agent):
    api = api_as(head_of_support)
    body = {"name": "Premium", "hours": "mon-sun 07:00-22:00", "tiers": ["key", "strategic"]}
    made = api.post("/calendars", body)
    assert made.status_code == 201 and made.json()["tiers"] == ["strategic", "key"]
    calendar_id = made.json()["id"]

    kept = api.put(f"/calendars/{calendar_id}", {"name": "Premium", "hours": "mon-sun 06:00-23:00"})
    assert kept.status_code == 200 and kept.json()["tiers"] == ["strategic", "key"]
    assert api_as(agent).get(f"/calendars/{calendar_id}").json()["tiers"] == ["strategic", "key"]
    cleared = api.put(f"/calendars/{calendar_id}", {**body, "tiers": []})
    assert cleared.json()["tiers"] == []
    # Each save records the tiers the calendar serves after it.
    assert _saved_tiers() == [["strategic", "key"], ["strategic", "key"], []]

    api.put(f"/calendars/{calendar_id}", {**body, "tiers": ["small"]})
    assert api.delete(f"/calendars/{calendar_id}").status_code == 204
    deleted = AuditEvent.objects.get(kind="workflow.calendar_deleted")
    assert deleted.data == {"name": "Premium", "tiers": ["small"]}


def test_the_schema_lists_the_tiers(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ("CalendarIn", "CalendarOut"):
        tiers = schemas[name]["properties"]["tiers"]
        items = tiers["items"] if "items" in tiers else tiers["anyOf"][0]["items"]
        assert items["enum"] == ["strategic", "key", "standard", "small"]


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_the_lists_do_not_ask_once_per_calendar(api_as, head_of_support):
    api = api_as(head_of_support)
    client = client_for(head_of_support)
    do_save_calendar(CalendarData(name="A", hours="mon 08:00-16:00", tiers=["key"]), actor=None)
    api.get("/calendars")  # the token's first use is written once
    client.get("/workflow/calendars/")
    one = (
        _queries(lambda: api.get("/calendars")),
        _queries(lambda: client.get("/workflow/calendars/")),
    )
    for name, tier in (("B", "small"), ("C", "strategic")):
        do_save_calendar(CalendarData(name=name, hours="mon 08:00-16:00", tiers=[tier]), actor=None)
    client.get("/workflow/calendars/")  # each calendar's hours are read once, then kept
    three = (
        _queries(lambda: api.get("/calendars")),
        _queries(lambda: client.get("/workflow/calendars/")),
    )
    assert three == one
    assert [item["tiers"] for item in api.get("/calendars").json()] == [
        ["key"],
        ["small"],
        ["strategic"],
    ]
