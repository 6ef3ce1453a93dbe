"""The inbox and the ticket list API cost the same number of SQL queries
whether a page holds 5 conversations or 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebase.testing import ApiClient, client_for
from carebase.tickets.actions import do_add_reply, do_create_ticket
from carebase.tickets.saved_views import do_save_view

pytestmark = pytest.mark.django_db


def queries(call):
    call()  # warm the per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200
    return len(captured)


def fill(count, requester, assignee, team):
    for number in range(count):
        ticket = do_create_ticket(
            subject=f"Połączenie {number}",
            body="Nagrywanie nie działa",
            requester=requester,
            channel="email",
            tags=["a", f"t{number}"],
            team=team,
            assignee=assignee,
        )
        do_add_reply(ticket, body="Sprawdzamy", author_user=assignee)


@pytest.mark.parametrize("params", [{}, {"q": "połączenia"}, {"tag": "a", "queue": "all"}])
def test_inbox_queries_do_not_grow_with_the_page(head_of_support, support, acme_contact, params):
    do_save_view(owner=head_of_support, name="Urgent", filters={"priority": ["urgent"]})
    client = client_for(head_of_support)
    fill(5, acme_contact, head_of_support, support)
    few = queries(lambda: client.get("/tickets/", params))
    fill(45, acme_contact, head_of_support, support)
    many = queries(lambda: client.get("/tickets/", params))
    assert len(client.get("/tickets/", params).context["page"]) == 50
    assert many == few


@pytest.mark.parametrize("params", [{}, {"q": "połączenia"}, {"status": "open"}])
def test_api_list_queries_do_not_grow_with_the_page(head_of_support, support, acme_contact, params):
    api = ApiClient(head_of_support)
    fill(50, acme_contact, head_of_support, support)
    few = queries(lambda: api.get("/tickets", limit=5, **params))
    many = queries(lambda: api.get("/tickets", limit=50, **params))
    assert len(api.get("/tickets", limit=50, **params).json()["items"]) == 50
    assert many == few
