import pytest

from carebase.core.models import AuditEvent
from carebase.crm.actions import do_create_contact, do_create_organization, do_create_project
from carebase.crm.models import Contact, ContactIdentity, Organization, Project
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(db):
    organization = do_create_organization(actor=None, name="Acme")
    do_create_project(organization, actor=None, name="Main site")
    return organization


@pytest.fixture
def anna(acme):
    return do_create_contact(actor=None, name="Anna", organization=acme, phones=["601234567"])


def test_a_head_deletes_a_contact_and_its_identities_through_the_api(head_of_support, anna, api_as):
    contact_id = anna.pk
    response = api_as(head_of_support).client.delete(
        f"/api/v1/contacts/{contact_id}", headers=api_as(head_of_support).headers
    )
    assert response.status_code == 204
    assert not Contact.objects.exists() and not ContactIdentity.objects.exists()
    event = AuditEvent.objects.get(kind="crm.contact_deleted")
    assert event.target_id == contact_id and event.data == {}


def test_an_organization_with_contacts_is_not_deleted(head_of_success, anna, api_as):
    api = api_as(head_of_success)
    response = api.client.delete(
        f"/api/v1/organizations/{anna.organization_id}", headers=api.headers
    )
    assert response.status_code == 409
    assert response.json()["contacts"] == 1
    assert Organization.objects.exists()


def test_an_organization_without_contacts_is_deleted_with_its_projects(
    head_of_success, acme, api_as
):
    api = api_as(head_of_success)
    response = api.client.delete(f"/api/v1/organizations/{acme.pk}", headers=api.headers)
    assert response.status_code == 204
    assert not Organization.objects.exists() and not Project.objects.exists()


def test_agents_cannot_delete(agent, anna, api_as):
    api = api_as(agent)
    response = api.client.delete(f"/api/v1/contacts/{anna.pk}", headers=api.headers)
    assert response.status_code == 403
    assert Contact.objects.exists()
    assert client_for(agent).post(f"/crm/contacts/{anna.pk}/delete/").status_code == 403


def test_a_contact_with_an_active_portal_login_is_not_deleted(head_of_support, customer):
    contact = Contact.objects.get(user=customer)
    response = client_for(head_of_support).post(f"/crm/contacts/{contact.pk}/delete/")
    assert response.status_code == 409
    assert "portal" in response.context["problem"]
    customer.is_active = False
    customer.save()
    response = client_for(head_of_support).post(f"/crm/contacts/{contact.pk}/delete/")
    assert response.status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_the_delete_page_asks_first_then_deletes(head_of_support, anna):
    client = client_for(head_of_support)
    page = client.get(f"/crm/contacts/{anna.pk}/delete/")
    assert page.status_code == 200 and Contact.objects.exists()
    response = client.post(f"/crm/contacts/{anna.pk}/delete/")
    assert response.status_code == 302 and response.url == "/crm/contacts/"
    assert not Contact.objects.exists()


def test_deleting_a_contact_forgets_what_earlier_events_said_about_them(admin, anna):
    from carebase.crm.actions import do_delete_contact, do_update_contact

    contact_id = anna.pk
    do_update_contact(anna, actor=admin, name="Anna Kowalska", emails=["anna@example.com"])
    do_delete_contact(anna, actor=admin)
    events = AuditEvent.objects.filter(target_id=contact_id, kind__startswith="crm.contact")
    assert {event.kind for event in events} == {
        "crm.contact_created",
        "crm.contact_updated",
        "crm.contact_deleted",
    }
    assert all(event.data == {} for event in events)
