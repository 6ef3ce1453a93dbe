"""The conversation page reads its suggested articles in a fixed number of
queries, however many it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebase.kb.tests.agent_helpers import cards, conversation
from carebase.kb.tests.kb_helpers import article
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def queries_of_the_page(client, ticket, shown):
    client.get(f"/tickets/{ticket.pk}/")  # warm: sessions, caches, dictionaries
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert len(cards(page)) == shown
    return len(captured)


def test_five_suggestions_cost_no_more_queries_than_one(agent):
    ticket = conversation()
    client = client_for(agent)
    # The same words in each, so that the search's vocabulary stays the same.
    article("Przekierowanie połączeń", "Ustaw przekierowanie na komórkę.", visibility="internal")
    one = queries_of_the_page(client, ticket, shown=1)
    for _number in range(5):
        article("Przekierowanie połączeń", "Ustaw przekierowanie na komórkę.")
    five = queries_of_the_page(client, ticket, shown=5)
    assert five <= one
