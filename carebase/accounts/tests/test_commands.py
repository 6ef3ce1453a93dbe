from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from carebase.accounts.models import User
from carebase.core.access import roles_of
from carebase.core.roles import Role
from carebase.crm.models import Contact, Organization
from carebase.testing import ApiClient

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_user_makes_a_staff_user_with_a_role():
    output = run(
        "create_user",
        "ola",
        "--role",
        "support_agent",
        "--email",
        "ola@example.com",
        "--password",
        "a-long-enough-pass-1",
    )
    user = User.objects.get(username="ola")
    assert roles_of(user) == {Role.SUPPORT_AGENT}
    assert user.check_password("a-long-enough-pass-1")
    assert "Created ola" in output


def test_create_user_generates_and_prints_a_password_when_none_is_given():
    output = run("create_user", "ola", "--role", "mentor", "--role", "support_agent")
    password = output.split("Password: ")[1].strip()
    user = User.objects.get(username="ola")
    assert user.check_password(password)
    assert roles_of(user) == {Role.MENTOR, Role.SUPPORT_AGENT}


def test_create_user_makes_a_customer_and_their_organization():
    run(
        "create_user",
        "jola",
        "--role",
        "customer",
        "--email",
        "jola@firma.example",
        "--organization",
        "Firma Nowa",
        "--password",
        "a-long-enough-pass-1",
    )
    contact = Contact.objects.get(user__username="jola")
    assert contact.organization == Organization.objects.get(name="Firma Nowa")
    assert contact.emails == ["jola@firma.example"]


def test_a_customer_without_an_organization_is_refused():
    with pytest.raises(CommandError, match="organization"):
        run("create_user", "jola", "--role", "customer")
    assert not User.objects.exists()


def test_a_weak_password_is_refused_and_nothing_is_created():
    with pytest.raises(CommandError, match="password"):
        run("create_user", "ola", "--role", "admin", "--password", "123")
    assert not User.objects.exists()


def test_a_taken_username_is_refused():
    run("create_user", "ola", "--role", "sales")
    with pytest.raises(CommandError, match="taken"):
        run("create_user", "OLA", "--role", "sales")


def test_an_admin_created_from_the_command_line_opens_django_admin(client):
    run("create_user", "boss", "--role", "admin", "--password", "a-long-enough-pass-1")
    client.login(username="boss", password="a-long-enough-pass-1")
    assert client.get("/admin/").status_code == 200


def test_create_api_token_prints_the_token_alone_on_its_line(agent):
    output = run("create_api_token", "agent1")
    lines = output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("cb_")
    assert ApiClient(token=lines[0]).get("/me").json()["username"] == "agent1"


def test_create_api_token_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user"):
        run("create_api_token", "ghost")


def test_linking_an_existing_contact_to_a_login_is_recorded():
    from carebase.core.models import AuditEvent
    from carebase.crm.actions import do_create_contact

    contact = do_create_contact(actor=None, name="Jola", emails=["jola@firma.example"])
    run(
        "create_user",
        "jola",
        "--role",
        "customer",
        "--email",
        "jola@firma.example",
        "--organization",
        "Firma",
    )
    contact.refresh_from_db()
    assert contact.user.username == "jola"
    changes = [
        event.data["changes"]
        for event in AuditEvent.objects.filter(kind="crm.contact_updated", target_id=contact.pk)
    ]
    assert {"user": [None, "jola"]} in changes
