from io import StringIO

import pytest
from django.core.management import call_command

from carebase.accounts.models import Team, User
from carebase.core.access import roles_of
from carebase.core.roles import Role
from carebase.crm.models import Contact, ContactIdentity, Organization, Project

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_demo_seeds_a_believable_company_and_prints_the_logins():
    output = seed()
    assert Organization.objects.count() == 40
    assert Contact.objects.filter(user__isnull=True).count() == 200
    assert Project.objects.count() >= 40
    assert ContactIdentity.objects.filter(kind="phone", value__startswith="+48").count() >= 200
    roles = set()
    for user in User.objects.all():
        roles |= roles_of(user)
    assert roles == set(Role)
    for username in ("admin", "kasia.head", "piotr.agent", "marta.cs", "jan.trainee", "klient"):
        assert username in output
    assert Team.objects.get(slug="support").members.count() >= 4
    assert Organization.objects.exclude(mrr=0).exclude(cs_owner=None).count() >= 25


def test_the_demo_is_idempotent():
    seed()
    counts = (
        User.objects.count(),
        Organization.objects.count(),
        Contact.objects.count(),
        Project.objects.count(),
        ContactIdentity.objects.count(),
    )
    seed()
    assert counts == (
        User.objects.count(),
        Organization.objects.count(),
        Contact.objects.count(),
        Project.objects.count(),
        ContactIdentity.objects.count(),
    )


def test_every_demo_login_works(client):
    seed()
    for username in ("admin", "kasia.head", "piotr.agent", "tomek.csm", "klient"):
        assert client.login(username=username, password="carebase-demo"), username
        assert client.get("/").status_code == 200
        client.logout()
