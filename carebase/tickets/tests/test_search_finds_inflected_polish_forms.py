"""Search over subjects and message text, through the inbox and the API, on the
database's own full-text engine (FTS5 on SQLite, tsvector on PostgreSQL)."""

import pytest

from carebase.crm.actions import do_create_contact
from carebase.testing import client_for
from carebase.tickets.actions import (
    do_add_reply,
    do_change_subject,
    do_create_ticket,
    do_merge_tickets,
)

pytestmark = pytest.mark.django_db


def found(user, query):
    response = client_for(user).get("/tickets/", {"queue": "all", "q": query})
    assert response.status_code == 200
    return {ticket.pk for ticket in response.context["page"]}


@pytest.fixture
def recording(acme_contact):
    return do_create_ticket(
        subject="Problem z nagraniami",
        body="Od wczoraj nie działa nagrywanie połączeń. Widżet się nie ładuje na stronie.",
        requester=acme_contact,
        channel="email",
    )


@pytest.fixture
def invoice(acme_contact):
    return do_create_ticket(
        subject="Invoice for October",
        body="Please send the invoice again, the calls were billed twice.",
        requester=acme_contact,
        channel="email",
    )


@pytest.mark.parametrize(
    "query",
    [
        "połączenia",  # nominative plural; the text has the genitive "połączeń"
        "połączenie",
        "polaczen",  # typed without Polish letters
        "nagranie",  # the subject says "nagraniami"
        "nagrania",
        "NAGRYWANIA",
        "widżetu",
        "ładowanie strony",
        "stronie nie",
        "nagr",  # as one types
    ],
)
def test_polish_inflected_forms_find_the_conversation(head_of_support, recording, invoice, query):
    assert found(head_of_support, query) == {recording.pk}


@pytest.mark.parametrize("query", ["invoices", "bills", "call", "octob"])
def test_english_forms_find_the_conversation(head_of_support, recording, invoice, query):
    assert found(head_of_support, query) == {invoice.pk}


def test_every_word_must_match(head_of_support, recording, invoice):
    assert found(head_of_support, "połączeń invoice") == set()


def test_words_that_appear_nowhere_find_nothing(head_of_support, recording):
    assert found(head_of_support, "faktura") == set()


def test_a_number_finds_the_ticket_and_punctuation_alone_changes_nothing(
    head_of_support, recording, invoice
):
    assert found(head_of_support, f"#{invoice.pk}") == {invoice.pk}
    assert found(head_of_support, "\"'*():-") == {recording.pk, invoice.pk}


def test_the_requester_and_organization_are_searched(head_of_support, recording, acme_contact):
    other = do_create_contact(actor=None, name="Zenon Zieliński", emails=["zenon@example.pl"])
    theirs = do_create_ticket(subject="Hello", body="Hi", requester=other, channel="email")
    assert found(head_of_support, "zielinski") == {theirs.pk}
    assert found(head_of_support, "acme") == {recording.pk}


def test_later_replies_notes_and_subject_changes_are_searched(head_of_support, recording):
    do_add_reply(
        recording, body="Sprawdziliśmy konfigurację centrali.", author_user=head_of_support
    )
    do_add_reply(
        recording, body="Klient ma starą umowę.", public=False, author_user=head_of_support
    )
    assert found(head_of_support, "konfiguracja") == {recording.pk}
    assert found(head_of_support, "umowy") == {recording.pk}
    do_change_subject(recording, "Brak nagrań rozmów", actor=head_of_support)
    assert found(head_of_support, "rozmowa") == {recording.pk}


def test_merging_moves_the_words_with_the_messages(head_of_support, recording, invoice):
    do_merge_tickets(invoice, recording, actor=head_of_support)
    assert found(head_of_support, "billed") == {recording.pk}


def test_search_stays_within_what_the_agent_may_see(agent, support, success, acme_contact):
    support.members.add(agent)
    do_create_ticket(
        subject="Widżet",
        body="Widżet nie działa",
        requester=acme_contact,
        channel="chat",
        team=success,
    )
    assert found(agent, "widżet") == set()


def test_the_api_searches_the_same_way(api_as, head_of_support, recording, invoice):
    response = api_as(head_of_support).get("/tickets", q="połączenia")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [recording.pk]


def test_a_customer_search_never_reads_internal_notes(api_as, head_of_support, customer, recording):
    do_add_reply(
        recording, body="Tajna notatka o rabacie", public=False, author_user=head_of_support
    )
    do_add_reply(recording, body="Odpowiedź o konfiguracji", author_user=head_of_support)
    client = api_as(customer)
    assert client.get("/tickets", q="rabacie").json()["items"] == []
    assert [item["id"] for item in client.get("/tickets", q="konfiguracji").json()["items"]] == [
        recording.pk
    ]
