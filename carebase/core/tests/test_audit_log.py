import pytest

from carebase.crm.actions import (
    do_create_contact,
    do_create_organization,
    do_delete_contact,
    do_update_organization,
)
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_a_head_reads_who_changed_what(head_of_success, cs_manager):
    organization = do_create_organization(actor=cs_manager, name="Acme")
    do_update_organization(organization, actor=cs_manager, plan="enterprise")
    page = client_for(head_of_success).get("/audit/").content.decode()
    assert "Organization updated" in page and "Organization created" in page
    assert 'href="/crm/organizations/' in page
    assert "plan" in page and "csm1" in page


def test_the_log_filters_by_event_and_person(head_of_support, cs_manager):
    do_create_organization(actor=cs_manager, name="Acme")
    do_create_organization(actor=None, name="Globex")
    client = client_for(head_of_support)
    page = client.get("/audit/", {"kind": "crm.organization_created", "actor": "CSM1"})
    assert [event.data["name"] for event in page.context["page"]] == ["Acme"]


def test_a_deleted_target_is_shown_as_deleted(admin):
    contact = do_create_contact(actor=None, name="Anna")
    do_delete_contact(contact, actor=admin)
    page = client_for(admin).get("/audit/").content.decode()
    assert "deleted" in page


def test_agents_and_customers_cannot_read_the_audit_log(agent, customer):
    assert client_for(agent).get("/audit/").status_code == 403
    assert client_for(customer).get("/audit/").status_code == 403


def test_the_audit_log_costs_a_fixed_number_of_queries(admin, django_assert_max_num_queries):
    for number in range(40):
        do_create_contact(actor=admin, name=f"P{number}", emails=[f"p{number}@example.com"])
    client = client_for(admin)
    client.get("/audit/")
    with django_assert_max_num_queries(12):
        assert client.get("/audit/").status_code == 200
