"""Beside a conversation, the agent sees the articles that match its subject
and its customer's last message: those they may read only, the requester's
language first, internal ones marked as not to be sent and never offered
for insertion."""

import html

import pytest
from django.urls import reverse

from carebase.kb.tests.agent_helpers import cards, conversation, customer_writes, requester
from carebase.kb.tests.kb_helpers import article
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def page_of(user, ticket):
    answer = client_for(user).get(f"/tickets/{ticket.pk}/")
    assert answer.status_code == 200
    return answer.content.decode()


def test_a_public_article_comes_with_its_help_center_link_to_insert(agent, settings):
    settings.SITE_URL = "https://pomoc.example"
    guide = article(
        "Przekierowanie połączeń na komórkę",
        "Ustaw przekierowanie w panelu: **Numery → Przekierowania**.",
        summary="Jak przekierować połączenia na inny numer.",
        slug="przekierowanie-polaczen",
    )
    article("Nagrywanie rozmów", "Włącz nagrywanie w ustawieniach projektu.")
    ticket = conversation()
    page = page_of(agent, ticket)
    assert "Suggested articles" in page
    found = cards(page)
    assert list(found) == [guide.pk]
    card = html.unescape(found[guide.pk])
    link = "https://pomoc.example/help/pl/articles/przekierowanie-polaczen/"
    assert f'data-kb-insert="Przekierowanie połączeń na komórkę: {link}"' in card
    assert (
        'data-kb-insert="Jak przekierować połączenia na inny numer.\n'
        f'Przekierowanie połączeń na komórkę: {link}"'
    ) in card
    assert 'href="/help/pl/articles/przekierowanie-polaczen/"' in card
    assert "<mark>" in card and "internal — do not send" not in card
    assert f'action="/kb/tickets/{ticket.pk}/articles/{guide.pk}/flag/"' in card


def test_an_internal_article_is_shown_for_reading_only(agent):
    internal = article(
        "Przekierowanie połączeń: uwagi dla wsparcia",
        "Sprawdź najpierw, czy numer ma aktywną usługę.",
        visibility="internal",
    )
    card = cards(page_of(agent, conversation()))[internal.pk]
    assert "internal — do not send" in card
    assert "data-kb-insert" not in card
    assert f'href="{reverse("kb:article", args=[internal.pk])}"' in card


def test_articles_the_agent_may_not_read_never_appear(agent):
    other_role = article(
        "Przekierowanie połączeń a rabaty",
        "Cennik dla zespołu sukcesu.",
        visibility="roles",
        reader_roles=["head_of_success"],
    )
    own_role = article(
        "Przekierowanie połączeń: skrypt rozmowy",
        "Co mówić.",
        visibility="roles",
        reader_roles=["support_agent"],
    )
    draft = article("Przekierowanie połączeń warunkowe", "Wkrótce.", publish=False)
    found = cards(page_of(agent, conversation()))
    assert own_role.pk in found and "internal — do not send" in found[own_role.pk]
    assert other_role.pk not in found
    assert draft.pk not in found


def test_the_customers_last_message_is_read_too(agent):
    recording = article("Nagrywanie rozmów", "Nagrania przechowujemy 90 dni.")
    ticket = conversation("Pytanie", "Dzień dobry, mam pytanie.")
    assert recording.pk not in cards(page_of(agent, ticket))
    customer_writes(ticket, "Jak długo przechowujecie nagrania rozmów?")
    assert list(cards(page_of(agent, ticket))) == [recording.pk]


def test_the_requesters_language_comes_first_and_the_other_when_nothing_is_found(agent):
    polish = article("Przekierowanie połączeń", "Ustaw przekierowanie.")
    english = article(
        "Call forwarding", "Forward calls to another number.", language="en", slug="forwarding"
    )
    john = requester("John Smith", language="en", email="john@example.com")
    assert list(cards(page_of(agent, conversation("Call forwarding", "Help", john)))) == [
        english.pk
    ]
    # Nothing in English speaks of it: the Polish article is better than none.
    asked = conversation("Przekierowanie połączeń", "Proszę o pomoc.", john)
    assert list(cards(page_of(agent, asked))) == [polish.pk]


def test_a_closed_conversation_shows_them_without_inserting(agent):
    from carebase.tickets.actions import do_change_status

    guide = article("Przekierowanie połączeń", "Ustaw przekierowanie.")
    ticket = conversation()
    do_change_status(ticket, "solved", actor=agent)
    do_change_status(ticket, "closed", actor=agent)
    card = cards(page_of(agent, ticket))[guide.pk]
    assert "data-kb-insert" not in card and "Flag as outdated" in card
