"""The card's search box: the list alone for htmx, a page of its own
without JavaScript; only for staff who see the conversation."""

import pytest

from carebase.crm.models import Contact
from carebase.kb.panels import suggestions_panel
from carebase.kb.tests.agent_helpers import cards, conversation
from carebase.kb.tests.kb_helpers import article
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return {
        "forwarding": article("Przekierowanie połączeń", "Ustaw przekierowanie."),
        "recording": article("Nagrywanie rozmów", "Nagrania przechowujemy 90 dni."),
        "invoice": article(
            "How to download an invoice", "Billing holds them.", language="en", slug="invoice"
        ),
    }


def test_htmx_gets_the_matching_articles_alone(agent, articles):
    ticket = conversation()
    answer = client_for(agent).get(
        f"/kb/tickets/{ticket.pk}/suggestions/", {"q": "nagrania"}, headers={"HX-Request": "true"}
    )
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "<html" not in body
    assert list(cards(body)) == [articles["recording"].pk]
    assert "data-kb-insert" in body  # the conversation's reply is on the page


def test_a_typo_typed_by_hand_is_forgiven(agent, articles):
    ticket = conversation()
    answer = client_for(agent).get(
        f"/kb/tickets/{ticket.pk}/suggestions/", {"q": "nagrnia"}, headers={"HX-Request": "true"}
    )
    assert list(cards(answer.content.decode())) == [articles["recording"].pk]


def test_a_word_in_the_other_language_finds_its_article(agent, articles):
    ticket = conversation()
    answer = client_for(agent).get(
        f"/kb/tickets/{ticket.pk}/suggestions/", {"q": "invoice"}, headers={"HX-Request": "true"}
    )
    assert list(cards(answer.content.decode())) == [articles["invoice"].pk]


def test_an_empty_search_gives_back_the_suggestions_and_nothing_found_says_so(agent, articles):
    ticket = conversation()
    client = client_for(agent)
    url = f"/kb/tickets/{ticket.pk}/suggestions/"
    again = client.get(url, {"q": "  "}, headers={"HX-Request": "true"}).content.decode()
    assert list(cards(again)) == [articles["forwarding"].pk]
    none = client.get(url, {"q": "faktura"}, headers={"HX-Request": "true"}).content.decode()
    assert cards(none) == {} and "No article matches “faktura”." in none


def test_without_javascript_the_search_is_a_page_with_the_way_back(agent, articles):
    ticket = conversation()
    answer = client_for(agent).get(f"/kb/tickets/{ticket.pk}/suggestions/", {"q": "nagrania"})
    page = answer.content.decode()
    assert answer.status_code == 200 and "<html" in page
    assert f'href="/tickets/{ticket.pk}/"' in page and 'value="nagrania"' in page
    assert list(cards(page)) == [articles["recording"].pk]
    assert "data-kb-insert" not in page  # no reply to put it into here


def test_customers_and_outsiders_find_nothing_there(customer, outsider, articles):
    ticket = conversation(contact=Contact.objects.get(user=customer))
    for user in (customer, outsider):
        answer = client_for(user).get(f"/kb/tickets/{ticket.pk}/suggestions/", {"q": "nagrania"})
        assert answer.status_code == 404


def test_an_agent_outside_the_conversations_team_finds_nothing_there(agent, articles):
    from carebase.accounts.models import Team
    from carebase.tickets.actions import do_set_team

    ticket = conversation()
    do_set_team(ticket, Team.objects.create(name="Billing", slug="billing"), actor=None)
    answer = client_for(agent).get(f"/kb/tickets/{ticket.pk}/suggestions/")
    assert answer.status_code == 404


def test_the_card_is_only_for_those_who_see_conversations(agent, customer, articles):
    ticket = conversation(contact=Contact.objects.get(user=customer))
    assert suggestions_panel(ticket, agent) is not None
    assert suggestions_panel(ticket, customer) is None
