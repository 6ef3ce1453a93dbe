"""The board's pages: the conversation's "Feature request" card finds a
feature or makes one of the subject, and the link shows on the timeline;
the board filters by status and search; the feature's page lists its
conversations with their organizations and MRR; a bad form comes back with
its reasons; the pages speak Polish."""

import pytest

from carebase.testing import client_for
from carebase.tickets.models import RequestType
from carebase.workflow.features import do_create_feature, do_decide_feature, do_link_ticket
from carebase.workflow.models import Feature, FeatureRequest

from .feature_helpers import conversation, organization, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(db):
    return conversation(
        person("Anna Nowak", organization("Tel-Net", "1200")), "Integracja z HubSpot"
    )


def test_an_agent_makes_a_feature_of_the_conversations_subject(agent, ticket):
    client = client_for(agent)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "Feature request" in page and "New feature from the subject" in page
    response = client.post(
        "/workflow/features/new/",
        {"title": ticket.subject, "ticket": ticket.pk, "back": "ticket"},
    )
    assert response.status_code == 302 and response["Location"] == f"/tickets/{ticket.pk}/"
    feature = Feature.objects.get()
    assert feature.title == "Integracja z HubSpot" and feature.created_by == agent
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "Linked to the feature" in page  # on the timeline
    assert "1 organization asks" in page and "1,200 PLN" in page  # on the card
    assert "Unlink from this feature" in page


def test_an_agent_finds_a_feature_and_links_the_conversation(agent, ticket):
    do_create_feature(title="Integracja CRM z HubSpot", actor=agent)
    do_create_feature(title="Kreator IVR", actor=agent)
    client = client_for(agent)
    found = client.get(
        "/workflow/features/pick/", {"ticket": ticket.pk, "q": "hubspota"}
    ).content.decode()
    assert "Integracja CRM z HubSpot" in found and "Kreator IVR" not in found
    feature = Feature.objects.get(title="Integracja CRM z HubSpot")
    # Without JavaScript the card's search opens the board, offering "Link #n".
    board = client.get("/workflow/features/", {"ticket": ticket.pk, "q": "hubspot"})
    assert f"Link {ticket.reference}" in board.content.decode()
    response = client.post(
        f"/workflow/features/{feature.pk}/link/", {"ticket": ticket.pk, "back": "ticket"}
    )
    assert response["Location"] == f"/tickets/{ticket.pk}/"
    assert FeatureRequest.objects.get().feature == feature
    response = client.post(
        f"/workflow/features/{feature.pk}/unlink/{ticket.pk}/", {"back": "ticket"}, follow=True
    )
    page = response.content.decode()
    assert "no longer counts" in page and "Unlinked from the feature" in page
    assert not FeatureRequest.objects.exists()


def test_a_conversation_of_another_type_offers_the_card_and_becomes_a_request(agent):
    problem = conversation(person("Ewa Radio", organization("Radio", "300")), type="problem")
    feature = do_create_feature(title="Eksport nagrań do S3", actor=agent)
    client = client_for(agent)
    page = client.get(f"/tickets/{problem.pk}/").content.decode()
    assert "If this conversation asks for a feature, link it" in page
    client.post(f"/workflow/features/{feature.pk}/link/", {"ticket": problem.pk})
    problem.refresh_from_db()
    assert problem.type == RequestType.FEATURE_REQUEST


def test_the_board_filters_by_status_and_search(agent, head_of_support, ticket):
    planned = do_create_feature(title="SMS po nieodebranym połączeniu", actor=agent)
    do_create_feature(title="Slack", actor=agent)
    do_decide_feature(planned, actor=head_of_support, status="planned", decision="W maju.")
    client = client_for(agent)
    page = client.get("/workflow/features/", {"status": "planned"}).content.decode()
    assert "SMS po nieodebranym" in page and ">Slack<" not in page and "W maju." in page
    page = client.get("/workflow/features/", {"q": "połączeń"}).content.decode()
    assert "SMS po nieodebranym" in page and ">Slack<" not in page
    partial = client.get(
        "/workflow/features/", {"q": "slack", "partial": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "<h1>" not in partial.content.decode() and "Slack" in partial.content.decode()
    assert client.get("/workflow/features/", {"status": "someday", "order": "x"}).status_code == 200


def test_the_feature_page_lists_its_conversations_with_organization_and_mrr(
    agent, head_of_support, ticket
):
    feature = do_create_feature(title="HubSpot", actor=agent, ticket=ticket)
    do_link_ticket(
        feature,
        conversation(person("Jonas Weber", organization("Berlin", "99", "EUR"))),
        actor=agent,
    )
    page = client_for(head_of_support).get(f"/workflow/features/{feature.pk}/").content.decode()
    assert "Tel-Net" in page and "1,200 PLN" in page and "Berlin" in page and "99 EUR" in page
    assert "Save the decision" in page
    assert "When the feature is done" in page  # no notify button yet
    assert "Feature created" in page  # its history


def test_a_bad_form_comes_back_with_its_reasons(agent, head_of_support):
    client = client_for(agent)
    response = client.post("/workflow/features/new/", {"title": "  "})
    assert response.status_code == 422
    feature = do_create_feature(title="Slack", actor=agent)
    response = client.post(f"/workflow/features/{feature.pk}/edit/", {"title": ""})
    assert response.status_code == 422
    response = client_for(head_of_support).post(
        f"/workflow/features/{feature.pk}/decide/", {"status": "declined", "decision": ""}
    )
    assert response.status_code == 422
    assert "Say why the feature is declined." in response.content.decode()
    feature.refresh_from_db()
    assert feature.status == "new"


def test_the_pages_speak_polish(agent, ticket):
    agent.language = "pl"
    agent.save(update_fields=["language"])
    client = client_for(agent)
    feature = do_create_feature(title="HubSpot", actor=agent, ticket=ticket)
    board = client.get("/workflow/features/").content.decode()
    assert "Propozycje funkcji" in board and "Organizacje" in board
    page = client.get(f"/workflow/features/{feature.pk}/").content.decode()
    assert "Rozmowy, które o to proszą" in page
    card = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "Połączono z funkcją" in card
