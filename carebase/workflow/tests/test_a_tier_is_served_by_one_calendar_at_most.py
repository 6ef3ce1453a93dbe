"""A tier is served by one calendar at most: giving it to a second one is
refused at the tiers field, naming the calendar that serves it, on the page
and over the API, and nothing of the change is saved; nor is a value that
is no tier. Taken off the first calendar, it may go to the second. Two
heads saving at once get the same refusal from the database."""

import pytest
from django.core.exceptions import ValidationError

from carebase.core.models import AuditEvent, Calendar, CalendarTier
from carebase.testing import client_for
from carebase.workflow import calendars
from carebase.workflow.calendars import CalendarData, do_save_calendar

pytestmark = pytest.mark.django_db

PREMIUM = {"name": "Premium 24/7", "hours": "mon-sun 00:00-24:00", "tiers": ["strategic", "key"]}
WEEKEND = {"name": "Weekendy", "hours": "sat-sun 09:00-17:00"}
TAKEN = "The “Key” tier is already served by the calendar “Premium 24/7”."


def _served() -> list[tuple[str, str]]:
    return sorted(CalendarTier.objects.values_list("calendar__name", "tier"))


def test_the_api_refuses_a_tier_another_calendar_serves(api_as, head_of_support):
    api = api_as(head_of_support)
    premium = api.post("/calendars", PREMIUM).json()
    before = AuditEvent.objects.count()

    refused = api.post("/calendars", {**WEEKEND, "tiers": ["key"]})
    assert refused.status_code == 422
    assert refused.json()["detail"] == [
        {"loc": ["body", "tiers"], "msg": TAKEN, "type": "value_error"}
    ]
    assert Calendar.objects.count() == 1

    weekend = api.post("/calendars", WEEKEND).json()
    refused = api.put(
        f"/calendars/{weekend['id']}", {**WEEKEND, "hours": "sat 10:00-14:00", "tiers": ["key"]}
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["msg"] == TAKEN
    assert Calendar.objects.get(pk=weekend["id"]).hours == "sat 09:00-17:00; sun 09:00-17:00"
    assert _served() == [("Premium 24/7", "key"), ("Premium 24/7", "strategic")]
    assert AuditEvent.objects.count() == before + 1  # the weekend calendar's creation only

    # Taken off Premium, the key tier may go to the weekend calendar.
    assert (
        api.put(f"/calendars/{premium['id']}", {**PREMIUM, "tiers": ["strategic"]}).status_code
        == 200
    )
    moved = api.put(f"/calendars/{weekend['id']}", {**WEEKEND, "tiers": ["key"]})
    assert moved.status_code == 200 and moved.json()["tiers"] == ["key"]


def test_the_api_refuses_a_value_that_is_no_tier(api_as, head_of_support):
    refused = api_as(head_of_support).post("/calendars", {**PREMIUM, "tiers": ["gold", "key"]})
    assert refused.status_code == 422
    [problem] = refused.json()["detail"]
    assert problem["loc"] == ["body", "tiers"]
    assert problem["msg"].startswith("No such organization tier: gold")
    assert not Calendar.objects.exists()


def test_the_page_refuses_a_tier_another_calendar_serves(head_of_support):
    client = client_for(head_of_support)
    do_save_calendar(CalendarData(**PREMIUM), actor=None)
    response = client.post(
        "/workflow/calendars/new/",
        {**WEEKEND, "time_zone": "Europe/Warsaw", "holiday_country": "PL", "tiers": ["key"]},
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors["tiers"] == [TAKEN]
    assert "Premium 24/7" in response.content.decode()
    assert Calendar.objects.count() == 1
    assert _served() == [("Premium 24/7", "key"), ("Premium 24/7", "strategic")]


def test_two_heads_saving_at_once_get_the_same_refusal(monkeypatch):
    premium = do_save_calendar(CalendarData(**PREMIUM), actor=None)
    real = calendars._clean_tiers

    def checked_before_premium_was_committed(given, instance):
        if instance is None:  # the new calendar's check: it saw no other calendar serve "key"
            return list(given), []
        return real(given, instance)

    monkeypatch.setattr(calendars, "_clean_tiers", checked_before_premium_was_committed)
    with pytest.raises(ValidationError) as refused:
        do_save_calendar(CalendarData(**WEEKEND, tiers=["key"]), actor=None)
    assert refused.value.message_dict == {"tiers": [TAKEN]}
    assert list(Calendar.objects.all()) == [premium]
    assert _served() == [("Premium 24/7", "key"), ("Premium 24/7", "strategic")]
