"""Macros over the REST API: an agent writes their personal macros and reads
their teams' and everyone's; a head writes the shared ones; nobody reads
another person's personal macros; customers and strangers get nothing."""

import pytest

from carebase.core.models import AuditEvent
from carebase.core.roles import Role
from carebase.testing import ApiClient, make_user
from carebase.workflow.models import Macro
from carebase.workflow.tests.macro_helpers import macro, team

pytestmark = pytest.mark.django_db

ASK_FOR_LOGS = {
    "name": "Prośba o logi",
    "body": "Dzień dobry {{ contact.first_name }},\nprosimy o identyfikator połączenia.",
    "language": "pl",
    "set_status": "pending",
    "add_tags": ["Logi", " logi ", "voip"],
}


def test_an_agent_writes_reads_and_deletes_a_personal_macro(api_as, agent):
    api = api_as(agent)
    response = api.post("/macros", ASK_FOR_LOGS)
    assert response.status_code == 201, response.json()
    made = response.json()
    assert made["scope"] == "personal" and made["owner"] == agent.pk and made["team"] is None
    assert made["add_tags"] == ["logi", "voip"]  # tidied like a conversation's tags
    assert made["set_status"] == "pending" and made["set_type"] is None
    assert made["usage_count"] == 0 and made["created_by"] == agent.pk

    assert api.get(f"/macros/{made['id']}").json()["name"] == "Prośba o logi"
    changed = api.put(f"/macros/{made['id']}", {**ASK_FOR_LOGS, "set_priority": "high"})
    assert changed.status_code == 200 and changed.json()["set_priority"] == "high"
    assert api.get("/macros").json() == {"items": [changed.json()], "next": None}

    assert api.delete(f"/macros/{made['id']}").status_code == 204
    assert not Macro.objects.exists()
    kinds = list(AuditEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds[-3:] == ["workflow.macro_saved", "workflow.macro_saved", "workflow.macro_deleted"]


def test_an_agent_reads_their_teams_and_everyones_macros_but_no_one_elses(
    api_as, agent, head_of_support
):
    colleague = make_user("ola", Role.SUPPORT_AGENT)
    mine = team("wsparcie", agent)
    theirs = team("sukces", colleague)
    shared = macro(head_of_support, "Dla wszystkich", "Dziękujemy.", scope="everyone")
    ours = macro(head_of_support, "Wsparcie", "Sprawdzamy.", scope="team", team=mine.pk)
    other_team = macro(head_of_support, "Sukces", "Oddzwonimy.", scope="team", team=theirs.pk)
    own = macro(agent, "Moje", "Pozdrawiam, {{ agent.name }}")
    private = macro(colleague, "Cudze", "Tylko moje.")

    api = api_as(agent)
    listed = {item["name"] for item in api.get("/macros").json()["items"]}
    assert listed == {shared.name, ours.name, own.name}
    assert api.get(f"/macros/{private.pk}").status_code == 404
    assert api.get(f"/macros/{other_team.pk}").status_code == 404
    assert api.put(f"/macros/{private.pk}", ASK_FOR_LOGS).status_code == 404
    assert api.delete(f"/macros/{private.pk}").status_code == 404

    # Seen, but shared: theirs to use, not to change.
    assert api.put(f"/macros/{ours.pk}", ASK_FOR_LOGS).status_code == 403
    assert api.delete(f"/macros/{shared.pk}").status_code == 403
    refused = api.post("/macros", {**ASK_FOR_LOGS, "scope": "everyone"})
    assert refused.status_code == 403 and "share macros" in refused.json()["detail"]
    assert Macro.objects.count() == 5

    # A head reads every team's macros, but not the agents' personal ones.
    head = api_as(head_of_support)
    listed = {item["name"] for item in head.get("/macros").json()["items"]}
    assert listed == {shared.name, ours.name, other_team.name}
    assert head.get(f"/macros/{own.pk}").status_code == 404
    assert head.get("/macros", scope="team").json()["items"][0]["scope"] == "team"


def test_a_head_shares_a_macro_with_a_team_and_with_everyone(api_as, head_of_support, agent):
    support = team("wsparcie", agent)
    head = api_as(head_of_support)
    made = head.post("/macros", {**ASK_FOR_LOGS, "scope": "team", "team": support.pk})
    assert made.status_code == 201 and made.json()["team"] == support.pk
    assert made.json()["owner"] is None
    moved = head.put(f"/macros/{made.json()['id']}", {**ASK_FOR_LOGS, "scope": "everyone"})
    assert moved.status_code == 200 and moved.json()["team"] is None
    assert [item["id"] for item in api_as(agent).get("/macros").json()["items"]] == [
        made.json()["id"]
    ]
    assert head.delete(f"/macros/{made.json()['id']}").status_code == 204


def test_the_list_is_searched_and_read_page_by_page(api_as, agent):
    for number in range(3):
        macro(agent, f"Zgłoszenie przyjęte {number}", "Dziękujemy za zgłoszenie.")
    macro(agent, "Billing", "Please write to billing@callflow.example.", language="en")
    api = api_as(agent)
    assert len(api.get("/macros", q="ZGLOSZENIE przyj").json()["items"]) == 3
    assert [item["name"] for item in api.get("/macros", language="en").json()["items"]] == [
        "Billing"
    ]
    first = api.get("/macros", limit=2).json()
    assert len(first["items"]) == 2 and first["next"]
    rest = api.get("/macros", limit=2, cursor=first["next"]).json()
    assert len(rest["items"]) == 2 and rest["next"] is None


def test_customers_and_strangers_get_no_macros(api_as, customer, agent):
    own = macro(agent, "Moje", "Dziękuję.")
    assert api_as(customer).get("/macros").status_code == 403
    assert api_as(customer).get(f"/macros/{own.pk}").status_code == 403
    assert api_as(customer).post("/macros", ASK_FOR_LOGS).status_code == 403
    anonymous = ApiClient()
    assert anonymous.get("/macros").status_code == 401
    assert anonymous.post("/macros", ASK_FOR_LOGS).status_code == 401
    assert Macro.objects.count() == 1


def test_the_macros_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/macros"])
    assert {"get", "put", "delete"} <= set(paths["/api/v1/macros/{macro_id}"])
    apply = paths["/api/v1/tickets/{ticket_id}/macros/{macro_id}"]["post"]
    assert apply["tags"] == ["macros"] and "409" in apply["responses"]
    assert "closed conversation" in apply["description"]
    body = schema["components"]["schemas"]["MacroIn"]["properties"]["body"]
    assert "{{ contact.first_name }}" in body["description"]
