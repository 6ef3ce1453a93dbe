"""Admins invite colleagues, set their roles and teams, and deactivate them."""

import re

import pytest
from django.contrib.auth import SESSION_KEY

from carebase.accounts.models import Team, User
from carebase.core.access import roles_of
from carebase.core.models import AuditEvent
from carebase.core.roles import Role
from carebase.testing import PASSWORD, ApiClient, client_for

pytestmark = pytest.mark.django_db


def invite(client, **fields):
    data = {
        "username": "nowa",
        "first_name": "Nowa",
        "last_name": "Osoba",
        "email": "nowa@example.com",
        "language": "pl",
        "roles": ["support_agent"],
        "teams": [Team.objects.get(slug="support").pk],
    }
    data.update(fields)
    return client.post("/accounts/people/new/", data)


def test_an_admin_invites_a_colleague_who_sets_a_password_and_signs_in(
    admin, smtp_inbox, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_for(admin))
    person = User.objects.get(username="nowa")
    assert response.status_code == 302 and response.url == f"/accounts/people/{person.pk}/"
    assert roles_of(person) == {Role.SUPPORT_AGENT}
    assert list(person.teams.values_list("slug", flat=True)) == ["support"]
    message = smtp_inbox.messages[0]
    assert message["To"] == "nowa@example.com"
    assert "konto" in message["Subject"].lower()  # in the invited person's language
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/password-reset/\S+/)", text).group(1)
    page = client.get(link, follow=True)
    new_password = "my-own-long-password-1"
    client.post(
        page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert client.login(username="nowa", password=new_password)


def test_an_invitation_with_a_taken_username_creates_nothing_and_sends_nothing(
    admin, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_for(admin), username="ADMIN1")
    assert response.status_code == 422
    assert "taken" in response.context["form"].errors["username"][0]
    assert smtp_inbox.messages == []
    assert not User.objects.filter(email="nowa@example.com").exists()


def test_only_user_managers_reach_the_people_pages(head_of_support, agent, customer):
    for user in (head_of_support, agent, customer):
        client = client_for(user)
        assert client.get("/accounts/people/").status_code == 403
        assert client.get("/accounts/people/new/").status_code == 403
        assert client.get(f"/accounts/people/{agent.pk}/").status_code == 404


def test_the_list_searches_and_filters_by_role(admin, agent, cs_manager, customer):
    client = client_for(admin)
    page = client.get("/accounts/people/", {"role": "cs_manager"})
    assert [person.username for person, _roles in page.context["rows"]] == ["csm1"]
    page = client.get("/accounts/people/", {"q": "agent"}).content.decode()
    assert "agent1" in page and "csm1" not in page
    page = client.get("/accounts/people/", {"role": "customer"}).content.decode()
    assert "Acme" in page


def test_changing_roles_and_teams_is_recorded(admin, agent):
    client = client_for(admin)
    response = client.post(
        f"/accounts/people/{agent.pk}/",
        {
            "first_name": "Piotr",
            "last_name": "Agent",
            "email": "agent1@example.com",
            "language": "",
            "roles": ["support_agent", "mentor"],
            "teams": [Team.objects.get(slug="support").pk],
        },
    )
    assert response.status_code == 302
    assert roles_of(type(agent).objects.get(pk=agent.pk)) == {Role.SUPPORT_AGENT, Role.MENTOR}
    kinds = set(AuditEvent.objects.filter(target_id=agent.pk).values_list("kind", flat=True))
    assert {"accounts.roles_changed", "accounts.teams_changed"} <= kinds


def test_an_admin_cannot_take_away_their_own_admin_role(admin):
    response = client_for(admin).post(
        f"/accounts/people/{admin.pk}/",
        {
            "first_name": "Renamed",
            "last_name": "",
            "email": "admin1@example.com",
            "language": "",
            "roles": ["support_agent"],
        },
    )
    assert response.status_code == 422
    admin.refresh_from_db()
    assert admin.is_superuser and admin.first_name == ""


def test_a_deactivated_colleague_is_signed_out_and_their_tokens_stop(admin, agent):
    agent_client = client_for(agent)
    api = ApiClient(agent)
    response = client_for(admin).post(f"/accounts/people/{agent.pk}/active/", {"active": "0"})
    assert response.status_code == 302
    assert agent_client.get("/").status_code == 302  # back to sign-in
    assert api.get("/me").status_code == 401
    assert not agent_client.login(username="agent1", password=PASSWORD)
    client_for(admin).post(f"/accounts/people/{agent.pk}/active/", {"active": "1"})
    assert agent_client.login(username="agent1", password=PASSWORD)


def test_an_admin_cannot_deactivate_themselves(admin):
    client = client_for(admin)
    client.post(f"/accounts/people/{admin.pk}/active/", {"active": "0"})
    admin.refresh_from_db()
    assert admin.is_active
    assert SESSION_KEY in client.session


def test_a_customer_is_edited_without_roles_or_teams(admin, customer):
    form = client_for(admin).get(f"/accounts/people/{customer.pk}/").context["form"]
    assert "roles" not in form.fields and "teams" not in form.fields


def test_the_people_list_costs_a_fixed_number_of_queries(admin, django_assert_max_num_queries):
    from carebase.testing import make_user

    for number in range(25):
        make_user(f"person{number}", Role.SUPPORT_AGENT)
    client = client_for(admin)
    client.get("/accounts/people/")
    with django_assert_max_num_queries(12):
        assert client.get("/accounts/people/").status_code == 200


def test_an_invitation_can_be_sent_again(
    admin, agent, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(f"/accounts/people/{agent.pk}/invite/")
    assert response.status_code == 302
    assert [message["To"] for message in smtp_inbox.messages] == ["agent1@example.com"]
    assert AuditEvent.objects.filter(kind="accounts.invitation_sent", target_id=agent.pk).exists()
