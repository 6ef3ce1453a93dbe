"""A search of common words: the inbox tries its other filters on the first
matches the index found, and says "more than" without reading further when
enough pass; otherwise it counts the whole list as before."""

import pytest

from carebase.core import search
from carebase.testing import client_for
from carebase.tickets.actions import do_create_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def common_word(monkeypatch, acme_contact):
    from carebase.tickets.views import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "CAP", 3)
    # Five first matches (more than the cap), and the word too common for an
    # id list: the correlated condition with a sample.
    monkeypatch.setattr(search, "ID_LIST_LIMIT", 4)
    monkeypatch.setattr(search, "ID_FETCH_LIMIT", 2)
    tickets = []
    for number, priority in enumerate(["low", "urgent", "normal", "high", "urgent", "low"]):
        tickets.append(
            do_create_ticket(
                subject=f"T{number} {priority}",
                body="Połączenia nie są nagrywane",
                requester=acme_contact,
                channel="email",
                priority=priority,
            )
        )
    do_create_ticket(
        subject="Other", body="Faktura do korekty", requester=acme_contact, channel="email"
    )
    return tickets


def test_a_long_search_is_capped_from_its_sample_and_keeps_its_order(head_of_support, common_word):
    found = search.find("ticket", "połączenie")
    assert found is not None and len(found.sample) == 5
    response = client_for(head_of_support).get("/tickets/", {"queue": "all", "q": "połączenie"})
    assert "More than 3 conversations" in response.content.decode()
    subjects = [t.subject for t in response.context["page"]]
    assert subjects == ["T1 urgent", "T4 urgent", "T3 high"]


def test_a_narrowed_search_is_counted_exactly(head_of_support, common_word):
    client = client_for(head_of_support)
    response = client.get("/tickets/", {"queue": "all", "q": "połączenie", "priority": "urgent"})
    assert "2 conversations" in response.content.decode()
    assert [t.subject for t in response.context["page"]] == ["T1 urgent", "T4 urgent"]
