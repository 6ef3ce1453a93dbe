import pytest

from carebase.core.models import AuditEvent
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def test_a_user_changes_name_language_and_time_zone(agent):
    client = client_for(agent)
    response = client.post(
        "/accounts/profile/",
        {
            "first_name": "Piotr",
            "last_name": "Nowy",
            "email": "piotr@example.com",
            "language": "pl",
            "timezone": "Europe/London",
        },
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.last_name, agent.language, agent.timezone) == ("Nowy", "pl", "Europe/London")
    assert response.cookies["django_language"].value == "pl"
    event = AuditEvent.objects.get(kind="accounts.profile_updated")
    assert set(event.data["changes"]) == {"last_name", "email", "language", "timezone"}


def test_an_unknown_time_zone_and_a_taken_email_are_refused(agent):
    make_user("other", Role.SALES, email="taken@example.com")
    response = client_for(agent).post(
        "/accounts/profile/",
        {
            "first_name": "",
            "last_name": "",
            "email": "TAKEN@example.com",
            "language": "",
            "timezone": "Mars/Olympus",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"email", "timezone"}
    agent.refresh_from_db()
    assert agent.email == "agent1@example.com"


def test_the_profile_language_wins_over_the_browser(agent):
    agent.language = "pl"
    agent.save()
    client = client_for(agent)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="pl"' in page


def test_the_browser_language_is_the_default(agent):
    page = client_for(agent).get("/", HTTP_ACCEPT_LANGUAGE="pl-PL,pl;q=0.9").content.decode()
    assert 'lang="pl"' in page
    assert "Wyloguj" in page


def test_times_are_shown_in_the_users_time_zone(agent):
    from django.utils import timezone

    agent.timezone = "America/New_York"
    agent.save()
    response = client_for(agent).get("/accounts/profile/")
    assert str(timezone.get_current_timezone()) != "America/New_York"  # restored after the request
    assert response.context["TIME_ZONE"] == "America/New_York"
