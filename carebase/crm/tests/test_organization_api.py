from decimal import Decimal

import pytest

from carebase.core.models import AuditEvent
from carebase.crm.models import Organization

pytestmark = pytest.mark.django_db


def test_a_cs_manager_creates_an_organization_with_mrr(cs_manager, api_as):
    response = api_as(cs_manager).post(
        "/organizations",
        {"name": "Tel-Net", "plan": "business", "tier": "key", "mrr": "1299.50", "currency": "PLN"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mrr"] == "1299.50"
    assert Organization.objects.get(pk=body["id"]).mrr == Decimal("1299.50")
    assert AuditEvent.objects.filter(kind="crm.organization_created").count() == 1


def test_a_taken_name_in_any_case_is_a_409(cs_manager, api_as):
    api = api_as(cs_manager)
    first = api.post("/organizations", {"name": "Tel-Net"}).json()
    response = api.post("/organizations", {"name": "TEL-NET"})
    assert response.status_code == 409
    assert response.json()["organization"] == first["id"]


def test_negative_mrr_is_a_422(cs_manager, api_as):
    response = api_as(cs_manager).post("/organizations", {"name": "X", "mrr": "-5"})
    assert response.status_code == 422
    assert any("mrr" in error["loc"] for error in response.json()["detail"])


def test_an_unknown_plan_is_a_422(cs_manager, api_as):
    response = api_as(cs_manager).post("/organizations", {"name": "X", "plan": "platinum"})
    assert response.status_code == 422


def test_a_support_agent_cannot_change_mrr(agent, api_as):
    api = api_as(agent)
    organization = api.post("/organizations", {"name": "Tel-Net"}).json()
    response = api.patch(f"/organizations/{organization['id']}", {"mrr": "999"})
    assert response.status_code == 403
    assert Organization.objects.get(pk=organization["id"]).mrr == 0


def test_a_support_agent_cannot_create_an_organization_with_mrr(agent, api_as):
    response = api_as(agent).post("/organizations", {"name": "X", "mrr": "100"})
    assert response.status_code == 403
    assert not Organization.objects.exists()


def test_a_cs_manager_patches_mrr_and_the_change_is_recorded(cs_manager, api_as):
    api = api_as(cs_manager)
    organization = api.post("/organizations", {"name": "Tel-Net", "mrr": "100"}).json()
    response = api.patch(f"/organizations/{organization['id']}", {"mrr": "250.00"})
    assert response.status_code == 200
    assert response.json()["mrr"] == "250.00"
    event = AuditEvent.objects.get(kind="crm.organization_updated")
    assert event.data["changes"]["mrr"] == ["100.00", "250.00"]
    assert event.actor == cs_manager


def test_an_unknown_cs_owner_is_a_422(cs_manager, api_as):
    response = api_as(cs_manager).post("/organizations", {"name": "X", "cs_owner": 999999})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "cs_owner"]


def test_organizations_filter_by_plan_and_search(cs_manager, api_as):
    api = api_as(cs_manager)
    api.post("/organizations", {"name": "Alpha Dental", "plan": "business"})
    api.post("/organizations", {"name": "Beta Dental", "plan": "start"})
    api.post("/organizations", {"name": "Gamma Hotel", "plan": "business"})
    names = [o["name"] for o in api.get("/organizations", plan="business").json()["items"]]
    assert names == ["Alpha Dental", "Gamma Hotel"]
    names = [o["name"] for o in api.get("/organizations", q="dental").json()["items"]]
    assert names == ["Alpha Dental", "Beta Dental"]


def test_a_customer_sees_only_their_own_organization(customer, other_customer, api_as):
    api = api_as(customer)
    items = api.get("/organizations").json()["items"]
    assert [item["name"] for item in items] == ["Acme"]
    globex = Organization.objects.get(name="Globex")
    assert api.get(f"/organizations/{globex.pk}").status_code == 404


def test_a_customer_cannot_edit_their_organization(customer, api_as):
    acme = Organization.objects.get(name="Acme")
    response = api_as(customer).patch(f"/organizations/{acme.pk}", {"name": "Hacked"})
    assert response.status_code == 403
    acme.refresh_from_db()
    assert acme.name == "Acme"


def test_an_unknown_organization_is_a_404(agent, api_as):
    response = api_as(agent).get("/organizations/424242")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_projects_are_added_and_disconnected(cs_manager, api_as):
    api = api_as(cs_manager)
    organization = api.post("/organizations", {"name": "Tel-Net"}).json()
    project = api.post(
        "/projects", {"organization": organization["id"], "name": "Main site"}
    ).json()
    assert project["status"] == "active" and project["disconnected_at"] is None
    response = api.patch(f"/projects/{project['id']}", {"status": "disconnected"})
    assert response.json()["disconnected_at"] is not None
    listed = api.get("/projects", organization=organization["id"]).json()["items"]
    assert [p["name"] for p in listed] == ["Main site"]


def test_the_token_acts_with_exactly_its_users_rights(trainee, api_as):
    api = api_as(trainee)
    me = api.get("/me").json()
    assert me["username"] == "trainee1" and me["roles"] == ["trainee"]
    assert api.post("/organizations", {"name": "X"}).status_code == 403


def test_the_openapi_schema_documents_the_crm(db, client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/organizations", "/api/v1/contacts", "/api/v1/projects", "/api/v1/me"):
        assert path in schema["paths"], path
    assert "BearerToken" in schema["components"]["securitySchemes"]


def test_the_interactive_docs_page_opens(agent):
    from carebase.testing import client_for

    response = client_for(agent).get("/api/v1/docs")
    assert response.status_code == 200


def test_a_customer_does_not_see_internal_notes_segment_or_mrr(customer, cs_manager, api_as):
    acme = Organization.objects.get(name="Acme")
    api_as(cs_manager).patch(
        f"/organizations/{acme.pk}", {"notes": "about to churn", "mrr": "900", "tier": "key"}
    )
    body = api_as(customer).get(f"/organizations/{acme.pk}").json()
    assert (body["notes"], body["mrr"], body["tier"]) == (None, None, None)
    assert body["name"] == "Acme" and body["plan"] == "start"
    staff_view = api_as(cs_manager).get(f"/organizations/{acme.pk}").json()
    assert staff_view["notes"] == "about to churn" and staff_view["mrr"] == "900.00"


def test_names_differing_only_in_polish_letter_case_are_one_organization(cs_manager, api_as):
    api = api_as(cs_manager)
    assert api.post("/organizations", {"name": "Ząbek"}).status_code == 201
    assert api.post("/organizations", {"name": "ZĄBEK"}).status_code == 409


def test_search_folds_polish_letters_case(cs_manager, api_as):
    api = api_as(cs_manager)
    api.post("/organizations", {"name": "ŻUBR Łódź"})
    names = [o["name"] for o in api.get("/organizations", q="żubr łódź").json()["items"]]
    assert names == ["ŻUBR Łódź"]


def test_only_cs_roles_can_own_a_client(cs_manager, agent, api_as):
    api = api_as(cs_manager)
    response = api.post("/organizations", {"name": "X", "cs_owner": agent.pk})
    assert response.status_code == 422
    response = api.post("/organizations", {"name": "X", "cs_owner": cs_manager.pk})
    assert response.status_code == 201 and response.json()["cs_owner"] == cs_manager.pk
