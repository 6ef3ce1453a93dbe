"""Business calendars over the REST API: the head writes them (hours with a
lunch break, days off, the teams that work by them), staff read them, and a
calendar that cannot be a calendar is refused with the reason, nothing
saved. A team's clock then runs on its calendar."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from carebase.accounts.models import Team
from carebase.core.hours import default_schedule, schedule_for_team
from carebase.core.models import AuditEvent, Calendar

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
KRAKOW = {
    "name": "Kraków office",
    "hours": "mon-fri 09:00-13:00,  14:00-17:00",
    "time_zone": "Europe/Warsaw",
    "holiday_country": "pl",
    "days_off": [{"day": "2026-12-31", "name": "Sylwester"}],
}


@pytest.fixture
def team():
    return Team.objects.create(name="Wsparcie", slug="wsparcie", kind="support")


def test_the_head_writes_a_calendar_and_the_teams_clock_runs_on_it(
    api_as, head_of_support, agent, team
):
    api = api_as(head_of_support)
    response = api.post("/calendars", {**KRAKOW, "teams": [team.pk]})
    assert response.status_code == 201, response.json()
    made = response.json()
    assert made["hours"] == "mon 09:00-13:00, 14:00-17:00; tue 09:00-13:00, 14:00-17:00; " + (
        "wed 09:00-13:00, 14:00-17:00; thu 09:00-13:00, 14:00-17:00; fri 09:00-13:00, 14:00-17:00"
    )
    assert made["holiday_country"] == "PL" and made["teams"] == [team.pk]
    assert made["days_off"] == [{"day": "2026-12-31", "name": "Sylwester"}]
    assert AuditEvent.objects.filter(kind="workflow.calendar_saved").count() == 1

    team.refresh_from_db()
    clock = schedule_for_team(team)
    wednesday_noon = datetime(2026, 12, 30, 12, 0, tzinfo=WARSAW)
    # 1 h before lunch, 3 h after; 31 Dec off, 1 Jan a holiday, the weekend: Monday.
    assert clock.add(wednesday_noon, timedelta(hours=5)) == datetime(
        2027, 1, 4, 10, 0, tzinfo=WARSAW
    )

    # Staff read it; an agent may not change it.
    assert api_as(agent).get(f"/calendars/{made['id']}").json()["name"] == "Kraków office"
    assert api_as(agent).put(f"/calendars/{made['id']}", KRAKOW).status_code == 403

    # Replaced: the clock reads the new hours at once, the teams list unchanged.
    changed = api.put(f"/calendars/{made['id']}", {**KRAKOW, "hours": "mon-sun 00:00-24:00"})
    assert changed.status_code == 200 and changed.json()["teams"] == [team.pk]
    team.refresh_from_db()
    assert schedule_for_team(team).is_open(datetime(2026, 12, 6, 3, 0, tzinfo=WARSAW))

    # Deleted: the team falls back to the desk's default hours.
    assert api.delete(f"/calendars/{made['id']}").status_code == 204
    team.refresh_from_db()
    assert team.calendar is None and schedule_for_team(team) == default_schedule()


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"hours": "mon 08:00-12:00, 11:00-15:00"}, "overlap"),
        ({"hours": "mon 18:00-08:00"}, "closes before it opens"),
        ({"hours": "   "}, "must be open at some time"),
        ({"time_zone": "Europe/Krakow"}, "is not a time zone"),
        ({"holiday_country": "XX"}, "No public holidays are known for XX"),
        (
            {"days_off": [{"day": "2026-12-31"}, {"day": "2026-12-31", "name": "again"}]},
            "listed twice",
        ),
        ({"teams": [987654]}, "No such team: 987654"),
        ({"name": " "}, "needs a name"),
    ],
)
def test_a_calendar_that_cannot_be_a_calendar_is_refused_saying_why(
    api_as, head_of_support, change, complaint
):
    response = api_as(head_of_support).post("/calendars", {**KRAKOW, **change})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", next(iter(change))] and complaint in problem["msg"]
    assert not Calendar.objects.exists()
    assert not AuditEvent.objects.filter(kind__startswith="workflow.").exists()


def test_a_second_calendar_of_the_same_name_is_refused(api_as, head_of_support):
    api = api_as(head_of_support)
    assert api.post("/calendars", KRAKOW).status_code == 201
    response = api.post("/calendars", {**KRAKOW, "name": "kraków OFFICE"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Another calendar is called kraków OFFICE."


def test_customers_see_no_calendars_and_agents_cannot_write_them(api_as, customer, agent):
    assert api_as(customer).get("/calendars").status_code == 403
    assert api_as(agent).get("/calendars").json() == []
    assert api_as(agent).post("/calendars", KRAKOW).status_code == 403
    assert not Calendar.objects.exists()


def test_the_calendars_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/calendars"])
    assert {"get", "put", "delete"} <= set(paths["/api/v1/calendars/{calendar_id}"])
