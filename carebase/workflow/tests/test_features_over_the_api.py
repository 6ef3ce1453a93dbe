"""The feature board over the REST API: create, read, list, change, link
and unlink; bad input is a 422 at its field and changes nothing; a
conversation asks for one feature at most (409); one the caller may not see
is a 404."""

import pytest

from carebase.tickets.models import RequestType, Ticket
from carebase.workflow.models import Feature, FeatureRequest

from .feature_helpers import conversation, organization, person, success_team, support_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(db):
    return conversation(person("Anna Nowak", organization("Tel-Net", "1200")))


def fields(response):
    return [error["loc"][-1] for error in response.json()["detail"]]


def test_an_agent_creates_a_feature_from_a_conversation_and_reads_it(agent, api_as, ticket):
    api = api_as(agent)
    response = api.post(
        "/features",
        {"title": "  SMS po   nieodebranym ", "description": "Do handlowca.", "ticket": ticket.pk},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "SMS po nieodebranym" and body["status"] == "new"
    assert (body["organizations"], body["conversations"]) == (1, 1)
    assert body["mrr"] == [{"currency": "PLN", "amount": "1200.00"}]
    assert body["requests"][0]["ticket"] == ticket.pk
    assert body["requests"][0]["reference"] == ticket.reference
    assert api.get(f"/features/{body['id']}").json() == body


def test_the_list_has_counts_and_filters_by_status(agent, head_of_support, api_as, ticket):
    api = api_as(agent)
    first = api.post("/features", {"title": "Slack", "ticket": ticket.pk}).json()
    second = api.post("/features", {"title": "Pipedrive"}).json()
    planning = api_as(head_of_support).patch(f"/features/{second['id']}", {"status": "planned"})
    assert planning.status_code == 200
    listed = api.get("/features").json()
    assert listed["next"] is None
    assert [(item["id"], item["organizations"]) for item in listed["items"]] == [
        (first["id"], 1),
        (second["id"], 0),
    ]
    planned = api.get("/features", status="planned").json()["items"]
    assert [item["title"] for item in planned] == ["Pipedrive"]
    assert api.get("/features", status="someday").status_code == 422
    page = api.get("/features", limit=1).json()
    assert len(page["items"]) == 1 and page["next"]


def test_an_empty_title_is_refused_at_its_field(agent, api_as):
    response = api_as(agent).post("/features", {"title": "   "})
    assert response.status_code == 422 and fields(response) == ["title"]
    response = api_as(agent).post("/features", {"title": "x" * 201})
    assert response.status_code == 422
    assert not Feature.objects.exists()


def test_a_head_changes_status_and_decision_and_a_bad_status_is_refused(
    agent, head_of_support, api_as
):
    feature = api_as(agent).post("/features", {"title": "IVR"}).json()
    head = api_as(head_of_support)
    response = head.patch(f"/features/{feature['id']}", {"status": "soon"})
    assert response.status_code == 422 and "status" in fields(response)
    response = head.patch(f"/features/{feature['id']}", {"status": "declined"})
    assert response.status_code == 422 and fields(response) == ["decision"]
    response = head.patch(
        f"/features/{feature['id']}",
        {"status": "declined", "decision": "Nie w tym roku.", "title": "Kreator IVR"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["decision"], body["title"]) == (
        "declined",
        "Nie w tym roku.",
        "Kreator IVR",
    )
    assert body["decided_by"] == head_of_support.pk and body["decided_at"]
    response = head.patch(f"/features/{feature['id']}", {"title": None})
    assert response.status_code == 422


def test_a_conversation_is_linked_once_only(agent, api_as, ticket):
    api = api_as(agent)
    slack = api.post("/features", {"title": "Slack", "ticket": ticket.pk}).json()
    again = api.post(f"/features/{slack['id']}/requests", {"ticket": ticket.pk})
    assert again.status_code == 409 and again.json()["feature"] == slack["id"]
    other = api.post("/features", {"title": "Teams"}).json()
    response = api.post(f"/features/{other['id']}/requests", {"ticket": ticket.pk})
    assert response.status_code == 409 and "Slack" in response.json()["detail"]
    response = api.post("/features", {"title": "MS Teams", "ticket": ticket.pk})
    assert response.status_code == 409
    assert FeatureRequest.objects.count() == 1
    assert not Feature.objects.filter(title="MS Teams").exists()  # nothing half-made


def test_a_conversation_the_caller_may_not_see_is_a_404(agent, api_as):
    support_team().members.add(agent)
    theirs = conversation(person("Ola Obca", organization("Obcy", "5")), team=success_team())
    api = api_as(agent)
    feature = api.post("/features", {"title": "Slack"}).json()
    assert api.post(f"/features/{feature['id']}/requests", {"ticket": theirs.pk}).status_code == 404
    assert api.post("/features", {"title": "X", "ticket": theirs.pk}).status_code == 404
    assert api.post(f"/features/{feature['id']}/requests", {"ticket": 999999}).status_code == 404
    assert api.get("/features/999999").status_code == 404


def test_linking_a_problem_makes_it_a_feature_request_and_unlinking_keeps_that(agent, api_as):
    problem = conversation(
        person("Ewa Radio", organization("Radio", "50")), "Brak nagrań", type=RequestType.PROBLEM
    )
    api = api_as(agent)
    feature = api.post("/features", {"title": "Eksport nagrań do S3"}).json()
    assert (
        api.post(f"/features/{feature['id']}/requests", {"ticket": problem.pk}).status_code == 201
    )
    problem.refresh_from_db()
    assert problem.type == RequestType.FEATURE_REQUEST
    assert problem.events.filter(kind="type_changed", new_value="feature_request").exists()
    response = api.delete(f"/features/{feature['id']}/requests/{problem.pk}")
    assert response.status_code == 204
    assert api.delete(f"/features/{feature['id']}/requests/{problem.pk}").status_code == 404
    assert Ticket.objects.get(pk=problem.pk).type == RequestType.FEATURE_REQUEST
    assert api.get(f"/features/{feature['id']}").json()["conversations"] == 0


def test_a_closed_conversation_is_linked_and_keeps_its_type(agent, api_as):
    from carebase.tickets.actions import do_change_status

    old = conversation(person("Jan Stary", organization("Stara", "70")), type=RequestType.FEEDBACK)
    do_change_status(old, "solved", actor=agent)
    do_change_status(old, "closed", actor=agent)
    api = api_as(agent)
    feature = api.post("/features", {"title": "Filtr po źródle ruchu", "ticket": old.pk}).json()
    assert feature["organizations"] == 1
    old.refresh_from_db()
    assert old.type == RequestType.FEEDBACK


def test_the_schema_lists_the_features_operations(agent, api_as):
    paths = api_as(agent).get("/openapi.json").json()["paths"]
    assert {"/api/v1/features", "/api/v1/features/{feature_id}/notify"} <= set(paths)
    assert paths["/api/v1/features"]["get"]["tags"] == ["features"]


def test_a_body_that_is_not_an_object_is_refused(agent, api_as):
    # A schema reads attributes of what it is given: "AAA".title() is "Aaa".
    assert api_as(agent).post("/features", raw='"AAA"').status_code == 422
    assert not Feature.objects.exists()
