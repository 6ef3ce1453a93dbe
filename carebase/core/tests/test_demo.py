from io import StringIO

import pytest
from django.core.management import call_command

from carebase.accounts.models import Team, User
from carebase.core.access import roles_of
from carebase.core.roles import Role
from carebase.crm.models import Contact, ContactIdentity, Organization, Project

pytestmark = pytest.mark.django_db


def seed(tickets: int = 40) -> str:
    out = StringIO()
    call_command("demo", tickets=tickets, stdout=out)
    return out.getvalue()


def test_the_demo_seeds_a_believable_company_and_prints_the_logins():
    output = seed()
    assert Organization.objects.count() == 40
    # The organizations' people; those who wrote by messenger are not in one yet.
    assert Contact.objects.filter(user__isnull=True, organization__isnull=False).count() == 200
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
        assert client.get("/", follow=True).status_code == 200
        client.logout()


def test_the_demo_runs_again_after_people_edited_its_data():
    from carebase.crm.actions import do_update_contact, do_update_organization

    seed()
    contact = Contact.objects.filter(user__isnull=True).first()
    do_update_contact(contact, actor=None, name="Renamed Person", organization=None)
    organization = Organization.objects.get(name="Hotel Pod Tatrami")
    do_update_organization(organization, actor=None, name="Hotel Pod Giewontem")
    User.objects.filter(username="piotr.agent").update(username="piotr.n")
    seed()
    assert Contact.objects.filter(name="Renamed Person").count() == 1
    assert User.objects.filter(email="piotr.agent@callflow.example").count() == 1


def test_the_demo_holds_conversations_on_every_channel_type_and_status():
    from carebase.mail.models import InboundEmail
    from carebase.telephony.models import Call
    from carebase.tickets.models import Channel, RequestType, Status, Ticket

    seed(tickets=300)
    tickets = Ticket.objects.all()
    # The email demo's conversations come in through the intake, and the
    # phone line's recent calls through the queue, on top.
    by_email = InboundEmail.objects.filter(status="created").count()
    by_phone = Ticket.objects.filter(pk__in=Call.objects.values("ticket")).count()
    assert by_email >= 3
    assert 300 + by_email < tickets.count() <= 300 + by_email + by_phone
    assert set(tickets.values_list("channel", flat=True)) == set(Channel.values) - {"internal"}
    assert set(tickets.values_list("type", flat=True)) == set(RequestType.values)
    assert set(tickets.values_list("status", flat=True)) == set(Status.values)
    answered = tickets.exclude(first_response_at=None)
    assert answered.count() > 200
    assert all(t.first_response_at > t.created_at for t in answered)
