import pytest

from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_a_visitor_switches_the_login_page_to_polish(client):
    response = client.post("/accounts/language/", {"language": "pl", "next": "/accounts/login/"})
    assert response.status_code == 302 and response.url == "/accounts/login/"
    page = client.get("/accounts/login/").content.decode()
    assert "Zaloguj się" in page


def test_a_signed_in_user_keeps_the_language_in_the_profile(agent):
    client = client_for(agent)
    client.post("/accounts/language/", {"language": "pl", "next": "/"})
    agent.refresh_from_db()
    assert agent.language == "pl"


def test_an_unknown_language_changes_nothing(agent):
    client = client_for(agent)
    response = client.post("/accounts/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.language == ""


def test_the_switch_never_redirects_to_another_site(client):
    response = client.post(
        "/accounts/language/", {"language": "pl", "next": "https://evil.example/"}
    )
    assert response.url == "/"


@pytest.mark.parametrize(
    "path", ["/", "/crm/organizations/", "/crm/contacts/", "/accounts/profile/", "/accounts/teams/"]
)
def test_every_staff_page_renders_in_polish(admin, path):
    admin.language = "pl"
    admin.save()
    response = client_for(admin).get(path)
    assert response.status_code == 200
    assert 'lang="pl"' in response.content.decode()
    assert "Wyloguj" in response.content.decode()
