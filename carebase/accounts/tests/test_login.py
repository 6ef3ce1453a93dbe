import pytest
from django.contrib.auth import SESSION_KEY

from carebase.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_staff_sign_in_with_the_username(client, agent):
    response = client.post("/accounts/login/", {"username": "agent1", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert int(client.session[SESSION_KEY]) == agent.pk


def test_staff_sign_in_with_the_email_in_any_case(client, agent):
    response = client.post(
        "/accounts/login/", {"username": "AGENT1@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == agent.pk


def test_a_wrong_password_is_refused_with_a_message(client, agent):
    response = client.post("/accounts/login/", {"username": "agent1", "password": "wrong"})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert response.context["form"].non_field_errors()


def test_a_deactivated_user_cannot_sign_in(client, agent):
    agent.is_active = False
    agent.save()
    client.post("/accounts/login/", {"username": "agent1", "password": PASSWORD})
    assert SESSION_KEY not in client.session


def test_customers_sign_in_too(client, customer):
    response = client.post("/accounts/login/", {"username": "acmeuser", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/", follow=True)
    assert page.redirect_chain[-1][0] == "/portal/"
    assert "Acme" in page.content.decode()


def test_signing_in_sets_the_profile_language(client, agent):
    agent.language = "pl"
    agent.save()
    response = client.post("/accounts/login/", {"username": "agent1", "password": PASSWORD})
    assert response.cookies["django_language"].value == "pl"


def test_sign_out_ends_the_session(client, agent):
    client.force_login(agent)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_the_login_page_does_not_redirect_to_another_site(client, agent):
    response = client.post(
        "/accounts/login/?next=https://evil.example/",
        {"username": "agent1", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == "/"


def test_repeated_wrong_passwords_lock_the_login_for_a_while(client, agent):
    from django.core.cache import cache

    for _attempt in range(10):
        client.post("/accounts/login/", {"username": "agent1", "password": "guess"})
    response = client.post("/accounts/login/", {"username": "agent1", "password": PASSWORD})
    assert SESSION_KEY not in client.session
    assert "Too many failed attempts" in response.content.decode()
    cache.clear()
    client.post("/accounts/login/", {"username": "agent1", "password": PASSWORD})
    assert int(client.session[SESSION_KEY]) == agent.pk


def test_a_successful_sign_in_resets_the_failure_count(client, agent):
    for _attempt in range(9):
        client.post("/accounts/login/", {"username": "agent1", "password": "guess"})
    client.post("/accounts/login/", {"username": "agent1", "password": PASSWORD})
    client.logout()
    for _attempt in range(9):
        client.post("/accounts/login/", {"username": "agent1", "password": "guess"})
    client.post("/accounts/login/", {"username": "agent1", "password": PASSWORD})
    assert int(client.session[SESSION_KEY]) == agent.pk


def test_the_limit_counts_username_and_email_as_one_account(client, agent):
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": "agent1", "password": "guess"})
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": "agent1@example.com", "password": "guess"})
    client.post("/accounts/login/", {"username": "agent1@example.com", "password": PASSWORD})
    assert SESSION_KEY not in client.session


def test_the_admin_login_is_throttled_too(client, admin):
    for _attempt in range(10):
        client.post("/admin/login/", {"username": "admin1", "password": "guess"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "admin1", "password": PASSWORD}
    )
    assert SESSION_KEY not in client.session
    assert response.status_code == 200


def test_many_addresses_probing_one_account_are_all_counted(agent):
    from django.test import Client

    for number in range(10):
        Client(REMOTE_ADDR=f"10.0.0.{number}").post(
            "/accounts/login/", {"username": "agent1", "password": "guess"}
        )
    client = Client(REMOTE_ADDR="10.0.1.1")
    client.post("/accounts/login/", {"username": "agent1", "password": PASSWORD})
    assert SESSION_KEY not in client.session
