"""core.search: the terms of a document and the words of a query."""

import io

import pytest
from django.core.management import call_command

from carebase.core import search
from carebase.core.models import SearchDocument


def test_terms_hold_words_lemmas_and_ascii_folds():
    found = search.terms("Nagrania połączeń; ŁÓDŹ, e-mail")
    assert {"nagrania", "nagranie", "nagrac", "polaczen", "polaczyc", "lodz", "e", "mail"} <= found
    assert all(term == search.fold(term) for term in found)


def test_a_query_word_matches_its_forms_and_their_shared_stem():
    [word] = search.parse_query("połączenia")
    assert word.forms == ("polaczenia", "polaczenie")
    assert word.prefix == "polaczen"


def test_a_short_word_is_a_prefix_only_when_it_is_the_last_one_typed():
    first, last = search.parse_query("qwx qwy")
    assert first.prefix == ""
    assert last.prefix == "qwy"


def test_queries_without_words_search_for_nothing():
    assert search.parse_query("\"'*():- _ ") == []
    assert search.matching("ticket", "*** ---") is None


def test_query_syntax_never_reaches_the_engine():
    # Quotes, stars and operators are not words: they cannot break the FTS5 or
    # tsquery syntax, whatever is typed.
    parsed = search.parse_query("foo\" OR bar* NEAR(baz) & !qux | 'x")
    assert [word.forms[0] for word in parsed] == ["foo", "or", "bar", "near", "baz", "qux", "x"]


def test_a_huge_document_is_cut_to_the_size_the_engines_take():
    text = search.join_terms(f"word{number}" for number in range(200_000))
    assert len(text) <= search.MAX_DOCUMENT_CHARS
    assert not text.endswith(" ")


@pytest.mark.django_db
def test_search_reindex_rebuilds_the_documents(customer):
    from carebase.crm.models import Contact
    from carebase.tickets.actions import do_create_ticket

    ticket = do_create_ticket(
        subject="Widżet",
        body="Nie ładuje się",
        requester=Contact.objects.get(user=customer),
        channel="email",
    )
    SearchDocument.objects.all().delete()
    call_command("search_reindex", stdout=io.StringIO())
    assert "ladowac" in SearchDocument.objects.get(kind="ticket", object_id=ticket.pk).terms.split()


@pytest.mark.django_db
@pytest.mark.parametrize(("id_list", "id_fetch"), [(1000, 5000), (5, 1000), (5, 8)])
def test_every_way_of_matching_finds_the_same_documents(customer, monkeypatch, id_list, id_fetch):
    # Few matches: an id list; more: a second fetch of all ids; many: a
    # correlated EXISTS (PostgreSQL) or a subquery (SQLite).
    from carebase.crm.models import Contact
    from carebase.tickets.actions import do_create_ticket
    from carebase.tickets.models import Ticket

    requester = Contact.objects.get(user=customer)
    wanted = set()
    for number in range(24):
        body = "Połączenia nie działają" if number % 2 else "Faktura do korekty"
        ticket = do_create_ticket(
            subject=f"#{number}", body=body, requester=requester, channel="email"
        )
        if number % 2:
            wanted.add(ticket.pk)
    monkeypatch.setattr(search, "ID_LIST_LIMIT", id_list)
    monkeypatch.setattr(search, "ID_FETCH_LIMIT", id_fetch)
    condition = search.matching("ticket", "połączenie")
    assert set(Ticket.objects.filter(condition).values_list("pk", flat=True)) == wanted


def test_loading_the_dictionaries_puts_them_out_of_the_collectors_reach():
    import gc

    try:
        search.load_dictionaries()
        assert gc.get_freeze_count() > 0
        assert search._lemma.cache_info().currsize > 0
    finally:
        gc.unfreeze()


@pytest.mark.django_db
def test_a_search_leaves_the_planner_settings_as_it_found_them(customer):
    from django.db import connection

    from carebase.crm.models import Contact
    from carebase.tickets.actions import do_create_ticket

    if connection.vendor != "postgresql":
        pytest.skip("planner settings are PostgreSQL's")
    requester = Contact.objects.get(user=customer)
    do_create_ticket(subject="Nagrania", body="Brak nagrań", requester=requester, channel="email")
    assert search.find("ticket", "nagrania") is not None
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SHOW enable_indexscan")
        assert cursor.fetchone()[0] == "on"
