"""The business calendars' pages: the head lists, creates, changes and
deletes calendars; a bad calendar comes back with the reasons at their
fields and nothing saved; nobody else gets in."""

import pytest

from carebase.accounts.models import Team
from carebase.core.models import Calendar
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Wsparcie — Warszawa",
    "hours": "mon-fri 08:00-18:00",
    "time_zone": "Europe/Warsaw",
    "holiday_country": "PL",
    "days_off": "2026-12-31 Sylwester\n\n2027-01-02 Inwentaryzacja",
}


@pytest.fixture
def team():
    return Team.objects.create(name="Wsparcie", slug="wsparcie", kind="support")


def test_the_head_creates_changes_and_deletes_a_calendar(head_of_support, team):
    client = client_for(head_of_support)
    assert "No calendar yet" in client.get("/workflow/calendars/").content.decode()
    response = client.post("/workflow/calendars/new/", {**FORM, "teams": [team.pk]})
    assert response.status_code == 302
    calendar = Calendar.objects.get()
    assert [(str(day.day), day.name) for day in calendar.days_off.all()] == [
        ("2026-12-31", "Sylwester"),
        ("2027-01-02", "Inwentaryzacja"),
    ]
    team.refresh_from_db()
    assert team.calendar == calendar
    page = client.get("/workflow/calendars/").content.decode()
    assert "Wsparcie — Warszawa" in page and "mon-fri" not in page  # written out by day
    assert "mon 08:00-18:00" in page and "Sylwester" in page

    edit = client.get(f"/workflow/calendars/{calendar.pk}/").content.decode()
    assert "2026-12-31 Sylwester" in edit and 'value="Europe/Warsaw"' in edit
    response = client.post(
        f"/workflow/calendars/{calendar.pk}/", {**FORM, "hours": "mon-sat 07:00-19:00"}
    )
    assert response.status_code == 302
    calendar.refresh_from_db()
    team.refresh_from_db()
    assert calendar.hours.startswith("mon 07:00-19:00") and team.calendar is None  # unticked

    assert client.post(f"/workflow/calendars/{calendar.pk}/delete/").status_code == 302
    assert not Calendar.objects.exists()


def test_a_bad_calendar_comes_back_with_the_reasons_and_saves_nothing(head_of_support):
    client = client_for(head_of_support)
    response = client.post(
        "/workflow/calendars/new/",
        {**FORM, "hours": "mon 08:00-12:00, 11:00-15:00", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "overlap" in page and "Mars/Olympus is not a time zone" in page
    response = client.post("/workflow/calendars/new/", {**FORM, "days_off": "31.12.2026 Sylwester"})
    assert response.status_code == 422
    assert "is not a date like 2026-12-31" in response.content.decode()
    assert not Calendar.objects.exists()


def test_the_pages_speak_polish(head_of_support):
    head_of_support.language = "pl"
    head_of_support.save(update_fields=["language"])
    client = client_for(head_of_support)
    response = client.post("/workflow/calendars/new/", {**FORM, "time_zone": "Mars/Olympus"})
    assert "Mars/Olympus nie jest strefą czasową" in response.content.decode()
    assert "Kalendarze godzin pracy" in client.get("/workflow/calendars/").content.decode()


def test_nobody_but_those_who_set_the_rules_gets_in(agent, customer):
    calendar = Calendar.objects.create(name="Biuro")
    for user in (agent, customer):
        client = client_for(user)
        assert client.get("/workflow/calendars/").status_code in (403, 302)
        assert client.post("/workflow/calendars/new/", FORM).status_code in (403, 302)
        assert client.post(f"/workflow/calendars/{calendar.pk}/delete/").status_code in (403, 302)
    assert Calendar.objects.count() == 1
