import pytest

from carebase.crm.actions import do_create_contact, do_create_organization, do_create_project
from carebase.crm.models import Organization
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(db):
    organization = do_create_organization(actor=None, name="Acme Telecom", plan="business")
    do_create_contact(
        actor=None,
        name="Anna Nowak",
        organization=organization,
        emails=["anna@acme.example"],
        phones=["601234567"],
    )
    do_create_project(organization, actor=None, name="Main site")
    return organization


def test_an_agent_lists_and_searches_organizations(agent, acme):
    do_create_organization(actor=None, name="Globex Hotels")
    client = client_for(agent)
    page = client.get("/crm/organizations/").content.decode()
    assert "Acme Telecom" in page and "Globex Hotels" in page
    page = client.get("/crm/organizations/", {"q": "globex"}).content.decode()
    assert "Globex Hotels" in page and "Acme Telecom" not in page


def test_the_htmx_search_answers_with_the_rows_only(agent, acme):
    response = client_for(agent).get(
        "/crm/organizations/", {"q": "acme", "partial": "1"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "Acme Telecom" in body
    assert "<html" not in body


def test_the_organization_list_filters_by_plan(agent, acme):
    do_create_organization(actor=None, name="Small Shop", plan="start")
    page = client_for(agent).get("/crm/organizations/", {"plan": "start"}).content.decode()
    assert "Small Shop" in page and "Acme Telecom" not in page


def test_the_organization_page_shows_its_contacts_and_projects(agent, acme):
    page = client_for(agent).get(f"/crm/organizations/{acme.pk}/").content.decode()
    assert "Anna Nowak" in page
    assert "Main site" in page
    assert 'href="tel:+48601234567"' in page
    assert "601 234 567" in page


def test_the_organization_list_costs_a_fixed_number_of_queries(
    agent, django_assert_max_num_queries
):
    for number in range(30):
        organization = do_create_organization(actor=None, name=f"Client {number}")
        do_create_project(organization, actor=None, name="P")
    client = client_for(agent)
    client.get("/crm/organizations/")
    with django_assert_max_num_queries(10):
        response = client.get("/crm/organizations/")
    assert response.status_code == 200


def test_a_cs_manager_creates_an_organization_from_the_form(cs_manager):
    response = client_for(cs_manager).post(
        "/crm/organizations/new/",
        {
            "name": "Nowa Firma",
            "tier": "key",
            "plan": "business",
            "mrr": "1500.00",
            "currency": "PLN",
            "status": "active",
        },
    )
    organization = Organization.objects.get(name="Nowa Firma")
    assert response.status_code == 302
    assert response.url == f"/crm/organizations/{organization.pk}/"
    assert str(organization.mrr) == "1500.00"


def test_invalid_fields_show_errors_and_save_nothing(cs_manager):
    response = client_for(cs_manager).post(
        "/crm/organizations/new/",
        {
            "name": "",
            "tier": "key",
            "plan": "business",
            "mrr": "-1",
            "currency": "PLN",
            "status": "active",
            "website": "not a url",
        },
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert set(errors) >= {"name", "mrr", "website"}
    assert not Organization.objects.exists()


def test_field_errors_are_in_the_users_language(cs_manager):
    cs_manager.language = "pl"
    cs_manager.save()
    response = client_for(cs_manager).post("/crm/organizations/new/", {"name": ""})
    assert response.status_code == 422
    assert "To pole jest wymagane." in response.content.decode()


def test_a_taken_name_is_shown_on_the_name_field(cs_manager, acme):
    response = client_for(cs_manager).post(
        "/crm/organizations/new/",
        {
            "name": "ACME TELECOM",
            "tier": "standard",
            "plan": "start",
            "mrr": "0",
            "currency": "PLN",
            "status": "active",
        },
    )
    assert response.status_code == 422
    assert "already exists" in response.context["form"].errors["name"][0]
    assert Organization.objects.count() == 1


def test_a_support_agent_sees_commercial_fields_locked(agent, acme):
    client = client_for(agent)
    form = client.get(f"/crm/organizations/{acme.pk}/edit/").context["form"]
    assert form.fields["mrr"].disabled
    client.post(
        f"/crm/organizations/{acme.pk}/edit/",
        {
            "name": "Acme Telecom SA",
            "tier": "small",
            "plan": "trial",
            "mrr": "1",
            "currency": "EUR",
            "status": "churned",
        },
    )
    acme.refresh_from_db()
    assert acme.name == "Acme Telecom SA"
    assert acme.plan == "business" and acme.status == "active"


def test_editing_records_what_changed_on_the_timeline(cs_manager, acme):
    client = client_for(cs_manager)
    client.post(
        f"/crm/organizations/{acme.pk}/edit/",
        {
            "name": "Acme Telecom",
            "tier": "standard",
            "plan": "enterprise",
            "mrr": "0",
            "currency": "PLN",
            "status": "active",
        },
    )
    page = client.get(f"/crm/organizations/{acme.pk}/").content.decode()
    assert "Organization updated" in page
    assert "plan" in page


def test_a_trainee_can_read_but_not_open_the_edit_form(trainee, acme):
    client = client_for(trainee)
    assert client.get(f"/crm/organizations/{acme.pk}/").status_code == 200
    assert client.get(f"/crm/organizations/{acme.pk}/edit/").status_code == 403
    assert client.get("/crm/organizations/new/").status_code == 403


def test_a_customer_cannot_open_the_staff_crm(customer, acme):
    client = client_for(customer)
    assert client.get("/crm/organizations/").status_code == 404
    assert client.get(f"/crm/organizations/{acme.pk}/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, acme):
    response = client.get("/crm/organizations/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_a_project_is_added_and_disconnected_from_the_organization_page(cs_manager, acme):
    client = client_for(cs_manager)
    response = client.post(
        f"/crm/organizations/{acme.pk}/projects/new/", {"name": "Landing", "status": "active"}
    )
    assert response.status_code == 302
    project = acme.projects.get(name="Landing")
    client.post(f"/crm/projects/{project.pk}/edit/", {"name": "Landing", "status": "disconnected"})
    project.refresh_from_db()
    assert project.status == "disconnected" and project.disconnected_at is not None
