"""Who gets what of the feature board: agents see it, create features and
link the conversations they may see; only heads decide and notify;
customers, sales and outsiders get nothing; anonymous callers sign in first."""

import pytest

from carebase.testing import ApiClient, client_for
from carebase.workflow.features import do_create_feature, do_decide_feature
from carebase.workflow.models import FeatureStatus

from .feature_helpers import conversation, organization, person, success_team, support_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def feature(agent):
    return do_create_feature(title="Integracja z HubSpot", actor=agent)


def test_an_agent_sees_the_board_and_its_nav_item(agent, feature):
    page = client_for(agent).get("/workflow/features/").content.decode()
    assert "Integracja z HubSpot" in page
    assert 'href="/workflow/features/"' in page  # "Feature requests" in the menu
    assert client_for(agent).get(f"/workflow/features/{feature.pk}/").status_code == 200


def test_an_agent_cannot_decide_or_notify(agent, feature, api_as):
    client = client_for(agent)
    decide = {"status": "planned", "decision": "Robimy."}
    assert client.post(f"/workflow/features/{feature.pk}/decide/", decide).status_code == 403
    assert client.post(f"/workflow/features/{feature.pk}/notify/").status_code == 403
    assert api_as(agent).patch(f"/features/{feature.pk}", {"status": "planned"}).status_code == 403
    assert api_as(agent).post(f"/features/{feature.pk}/notify").status_code == 403
    feature.refresh_from_db()
    assert feature.status == FeatureStatus.NEW
    page = client.get(f"/workflow/features/{feature.pk}/").content.decode()
    assert "Save the decision" not in page


def test_a_head_decides(head_of_support, feature):
    response = client_for(head_of_support).post(
        f"/workflow/features/{feature.pk}/decide/", {"status": "planned", "decision": "W maju."}
    )
    assert response.status_code == 302
    feature.refresh_from_db()
    assert (feature.status, feature.decision, feature.decided_by) == (
        "planned",
        "W maju.",
        head_of_support,
    )


@pytest.mark.parametrize("persona", ["customer", "sales", "outsider"])
def test_others_get_nothing(request, persona, feature, api_as):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get("/workflow/features/").status_code == 403
    assert client.get(f"/workflow/features/{feature.pk}/").status_code == 403
    assert client.post("/workflow/features/new/", {"title": "X"}).status_code == 403
    assert api_as(user).get("/features").status_code == 403
    assert api_as(user).get(f"/features/{feature.pk}").status_code == 403
    assert "/workflow/features/" not in client.get("/").content.decode()


def test_anonymous_callers_sign_in_first(feature):
    from django.test import Client

    response = Client().get("/workflow/features/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert ApiClient().get("/features").status_code == 401


def test_an_agent_cannot_link_a_conversation_of_another_team(agent, feature, api_as):
    support_team().members.add(agent)
    theirs = conversation(person("Ola Obca", organization("Obcy", "10")), team=success_team())
    client = client_for(agent)
    response = client.post(f"/workflow/features/{feature.pk}/link/", {"ticket": theirs.pk})
    assert response.status_code == 404
    response = api_as(agent).post(f"/features/{feature.pk}/requests", {"ticket": theirs.pk})
    assert response.status_code == 404
    assert not feature.requests.exists()


def test_the_feature_page_hides_conversations_the_viewer_may_not_open(
    agent, head_of_support, feature
):
    support_team().members.add(agent)
    shop = organization("Sklep", "10")
    mine = conversation(person("Jan Sklep", shop), subject="Moje", team=support_team())
    theirs = conversation(person("Ola Sklep", shop), subject="Cudze", team=success_team())
    api = ApiClient(head_of_support)
    for ticket in (mine, theirs):
        assert (
            api.post(f"/features/{feature.pk}/requests", {"ticket": ticket.pk}).status_code == 201
        )
    do_decide_feature(feature, actor=head_of_support, status="under_review")
    page = client_for(agent).get(f"/workflow/features/{feature.pk}/").content.decode()
    assert "Moje" in page and "Cudze" not in page
    assert "And 1 conversation in other teams" in page
    body = ApiClient(agent).get(f"/features/{feature.pk}").json()
    assert [row["ticket"] for row in body["requests"]] == [mine.pk]
    assert body["conversations"] == 2
