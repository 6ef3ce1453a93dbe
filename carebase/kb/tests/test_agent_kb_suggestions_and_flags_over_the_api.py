"""Over the REST API: the articles suggested for a conversation, and
flagging one as outdated, with the pages' rules."""

import pytest

from carebase.core.roles import Role
from carebase.crm.models import Contact
from carebase.kb.models import ReviewItem
from carebase.kb.tests.agent_helpers import conversation
from carebase.kb.tests.kb_helpers import article
from carebase.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def guides(mentor):
    return {
        "public": article(
            "Przekierowanie połączeń",
            "Ustaw przekierowanie w panelu.",
            slug="przekierowanie",
            owner=mentor,
        ),
        "internal": article(
            "Przekierowanie połączeń: uwagi", "Sprawdź usługę.", visibility="internal"
        ),
        "other_role": article(
            "Przekierowanie połączeń a rabaty",
            "Dla zespołu sukcesu.",
            visibility="roles",
            reader_roles=[Role.HEAD_OF_SUCCESS],
        ),
    }


def test_suggestions_say_what_may_be_sent(agent, api_as, guides, settings):
    settings.SITE_URL = "https://pomoc.example"
    ticket = conversation()
    answer = api_as(agent).get(f"/tickets/{ticket.pk}/kb-suggestions")
    assert answer.status_code == 200
    items = {item["id"]: item for item in answer.json()["items"]}
    assert set(items) == {guides["public"].pk, guides["internal"].pk}
    public = items[guides["public"].pk]
    assert public == {
        "id": guides["public"].pk,
        "title": "Przekierowanie połączeń",
        "url": "https://pomoc.example/help/pl/articles/przekierowanie/",
        "snippet": public["snippet"],
        "language": "pl",
        "visibility": "public",
        "sendable": True,
    }
    assert "<mark>przekierowanie</mark>" in public["snippet"]
    internal = items[guides["internal"].pk]
    assert internal["sendable"] is False and internal["visibility"] == "internal"
    assert internal["url"].startswith("https://pomoc.example/kb/")


def test_a_search_by_hand_and_a_limit(agent, api_as, guides):
    recording = article("Nagrywanie rozmów", "Nagrania przechowujemy 90 dni.")
    ticket = conversation()
    client = api_as(agent)
    found = client.get(f"/tickets/{ticket.pk}/kb-suggestions", q="nagrania").json()["items"]
    assert [item["id"] for item in found] == [recording.pk]
    limited = client.get(f"/tickets/{ticket.pk}/kb-suggestions", limit=1).json()["items"]
    assert len(limited) == 1
    assert client.get(f"/tickets/{ticket.pk}/kb-suggestions", limit=0).status_code == 422


def test_customers_and_outsiders_get_no_suggestions(customer, outsider, api_as, guides):
    ticket = conversation(contact=Contact.objects.get(user=customer))
    assert api_as(customer).get(f"/tickets/{ticket.pk}/kb-suggestions").status_code == 403
    assert api_as(outsider).get(f"/tickets/{ticket.pk}/kb-suggestions").status_code == 403
    agent = make_user("agent2", Role.SUPPORT_AGENT)
    assert api_as(agent).get("/tickets/999999/kb-suggestions").status_code == 404


def test_a_flag_answers_the_review_item(agent, api_as, guides):
    ticket = conversation()
    answer = api_as(agent).post(
        f"/kb/articles/{guides['public'].pk}/flag",
        {"note": "  Panel ma teraz zakładkę Routing. ", "ticket": ticket.pk},
    )
    assert answer.status_code == 201
    item = ReviewItem.objects.get()
    assert answer.json() == {
        "id": item.pk,
        "article": guides["public"].pk,
        "kind": "outdated",
        "note": "Panel ma teraz zakładkę Routing.",
        "ticket": ticket.pk,
        "created_at": answer.json()["created_at"],
    }
    assert item.created_by == agent and item.ticket == ticket


def test_a_flag_without_a_conversation(agent, api_as, guides):
    answer = api_as(agent).post(f"/kb/articles/{guides['internal'].pk}/flag", {"note": "Stare."})
    assert answer.status_code == 201 and answer.json()["ticket"] is None


def test_a_flag_is_refused_without_a_note_or_what_may_be_seen(agent, customer, api_as, guides):
    ticket = conversation(contact=Contact.objects.get(user=customer))
    client = api_as(agent)
    public = guides["public"].pk
    assert client.post(f"/kb/articles/{public}/flag", {"note": " "}).status_code == 422
    assert client.post(f"/kb/articles/{public}/flag", {}).status_code == 422
    hidden = guides["other_role"].pk
    assert client.post(f"/kb/articles/{hidden}/flag", {"note": "x"}).status_code == 404
    assert client.post(f"/kb/articles/{public}/flag", {"note": "x", "ticket": 999}).status_code == (
        404
    )
    assert (
        api_as(customer)
        .post(f"/kb/articles/{public}/flag", {"note": "x", "ticket": ticket.pk})
        .status_code
        == 403
    )
    assert not ReviewItem.objects.exists()
