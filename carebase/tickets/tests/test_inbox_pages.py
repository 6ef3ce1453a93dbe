import pytest

from carebase.core.roles import Role
from carebase.testing import client_for, make_user
from carebase.tickets.actions import do_add_reply, do_change_status, do_create_ticket
from carebase.tickets.models import EventKind, MessageKind, Status, Ticket

pytestmark = pytest.mark.django_db


def ticket_for(requester, **extra):
    values = {
        "subject": "Calls are not recorded",
        "body": "No recordings since Monday.",
        "requester": requester,
        "channel": "email",
    }
    values.update(extra)
    return do_create_ticket(**values)


def test_the_inbox_lists_open_work_most_urgent_first_with_queue_counts(
    agent, support, acme_contact
):
    support.members.add(agent)
    low = ticket_for(acme_contact, subject="Low one", priority="low", team=support)
    urgent = ticket_for(acme_contact, subject="Urgent one", priority="urgent", team=support)
    response = client_for(agent).get("/tickets/")
    assert [t.pk for t in response.context["page"]] == [urgent.pk, low.pk]
    assert response.context["counts"]["open"] == 2
    assert response.context["counts"]["unassigned"] == 2
    assert response.context["counts"]["mine"] == 0


def test_the_mine_queue_and_filters(agent, support, acme_contact):
    support.members.add(agent)
    mine = ticket_for(acme_contact, team=support, assignee=agent, channel="phone")
    ticket_for(acme_contact, team=support)
    client = client_for(agent)
    assert [t.pk for t in client.get("/tickets/", {"queue": "mine"}).context["page"]] == [mine.pk]
    assert [t.pk for t in client.get("/tickets/", {"channel": "phone"}).context["page"]] == [
        mine.pk
    ]
    assert [t.pk for t in client.get("/tickets/", {"q": f"#{mine.pk}"}).context["page"]] == [
        mine.pk
    ]


def test_the_inbox_costs_a_fixed_number_of_queries(
    agent, acme_contact, django_assert_max_num_queries
):
    for number in range(30):
        ticket_for(acme_contact, subject=f"T{number}", tags=["a"])
    client = client_for(agent)
    client.get("/tickets/")
    with django_assert_max_num_queries(15):
        assert client.get("/tickets/").status_code == 200


def test_the_ticket_page_shows_messages_notes_and_changes_in_one_timeline(agent, acme_contact):
    ticket = ticket_for(acme_contact)
    do_add_reply(ticket, body="Checking the PBX", public=False, author_user=agent)
    do_add_reply(ticket, body="Fixed now.", author_user=agent, status=Status.SOLVED)
    page = client_for(agent).get(f"/tickets/{ticket.pk}/").content.decode()
    for text in ("No recordings since Monday.", "Checking the PBX", "Fixed now.", "Status changed"):
        assert text in page, text
    assert page.index("No recordings") < page.index("Checking the PBX") < page.index("Fixed now.")


def test_an_agent_replies_publicly_and_solves_from_the_page(agent, acme_contact):
    ticket = ticket_for(acme_contact)
    response = client_for(agent).post(
        f"/tickets/{ticket.pk}/reply/", {"body": "All fixed.", "public": "1", "status": "solved"}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED and ticket.first_response_at is not None
    assert ticket.messages.last().kind == MessageKind.REPLY


def test_an_empty_reply_shows_an_error_and_saves_nothing(agent, acme_contact):
    ticket = ticket_for(acme_contact)
    response = client_for(agent).post(f"/tickets/{ticket.pk}/reply/", {"body": "", "public": "1"})
    assert response.status_code == 422
    assert ticket.messages.count() == 1


def test_the_side_panel_changes_fields_and_records_them(agent, support, acme_contact):
    support.members.add(agent)
    ticket = ticket_for(acme_contact, team=support)
    response = client_for(agent).post(
        f"/tickets/{ticket.pk}/update/",
        {
            "status": "pending",
            "priority": "high",
            "type": "problem",
            "team": support.pk,
            "assignee": agent.pk,
            "tags": "recording, asterisk",
        },
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.type, ticket.assignee) == (
        "pending",
        "high",
        "problem",
        agent,
    )
    kinds = set(ticket.events.values_list("kind", flat=True))
    assert {EventKind.ASSIGNED, EventKind.PRIORITY_CHANGED, EventKind.TAGS_CHANGED} <= kinds


def test_closing_an_unsolved_ticket_from_the_panel_says_why(agent, acme_contact):
    ticket = ticket_for(acme_contact)
    response = client_for(agent).post(
        f"/tickets/{ticket.pk}/update/",
        {"status": "closed", "priority": "normal", "type": "question", "tags": ""},
    )
    assert response.status_code == 422
    assert "Solve" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_an_agent_files_a_ticket_for_a_phone_call(agent):
    response = client_for(agent).post(
        "/tickets/new/",
        {
            "requester_email": "caller@firma.example",
            "requester_name": "Jan Dzwoniący",
            "subject": "Prośba o oddzwonienie",
            "body": "Klient prosi o konfigurację numeru.",
            "channel": "phone",
            "type": "configuration",
            "priority": "normal",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response.url == f"/tickets/{ticket.pk}/"
    assert ticket.requester.name == "Jan Dzwoniący" and ticket.created_by == agent
    assert not ticket.messages.get().from_customer


def test_customers_and_sales_do_not_reach_the_inbox(customer, sales, acme_contact):
    ticket = ticket_for(acme_contact)
    for user in (customer, sales):
        client = client_for(user)
        assert client.get("/tickets/").status_code == 404
        assert client.get(f"/tickets/{ticket.pk}/").status_code == 404


def test_an_agent_outside_the_team_gets_404_on_the_page(agent, success, acme_contact):
    ticket = ticket_for(acme_contact, team=success)
    assert client_for(agent).get(f"/tickets/{ticket.pk}/").status_code == 404
    assert (
        client_for(agent)
        .post(f"/tickets/{ticket.pk}/reply/", {"body": "x", "public": "1"})
        .status_code
        == 404
    )


def test_message_html_is_shown_sanitised(agent, acme_contact):
    ticket = ticket_for(
        acme_contact,
        body="x",
        body_html='<p>Hi<script>alert(1)</script><img src=x onerror="evil()"></p>',
    )
    page = client_for(agent).get(f"/tickets/{ticket.pk}/").content.decode()
    assert "alert(1)" not in page and "onerror" not in page and "Hi" in page


def test_every_queue_count_is_the_length_of_its_list(agent, support, success, acme_contact):
    support.members.add(agent)
    other = make_user("other-agent", Role.SUPPORT_AGENT)
    support.members.add(other)
    mine = ticket_for(acme_contact, team=support, assignee=agent)
    ticket_for(acme_contact, team=support, assignee=other)
    ticket_for(acme_contact, team=None)
    ticket_for(acme_contact, team=success)  # not visible to the agent
    pending = ticket_for(acme_contact, team=support)
    do_change_status(pending, Status.PENDING, actor=agent)
    held = ticket_for(acme_contact, team=support, assignee=agent)
    do_change_status(held, Status.ON_HOLD, actor=agent)
    solved = ticket_for(acme_contact, team=support)
    do_change_status(solved, Status.SOLVED, actor=agent)
    do_change_status(mine, Status.SOLVED, actor=agent)
    client = client_for(agent)
    counts = client.get("/tickets/").context["counts"]
    for queue, count in counts.items():
        listed = client.get("/tickets/", {"queue": queue}).context["page"].paginator.count
        assert count == listed, queue
    assert counts == {
        "mine": 1,
        "unassigned": 2,
        "team": 3,
        "open": 4,
        "pending": 1,
        "on_hold": 1,
        "solved": 2,
    }


def test_a_list_longer_than_the_cap_says_so_and_keeps_its_order(
    head_of_support, acme_contact, monkeypatch
):
    from carebase.tickets.views import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "CAP", 3)
    for number, priority in enumerate(["low", "urgent", "normal", "high", "urgent"]):
        ticket_for(acme_contact, subject=f"T{number} {priority}", priority=priority)
    client = client_for(head_of_support)
    response = client.get("/tickets/")
    assert "More than 3 conversations" in response.content.decode()
    subjects = [t.subject for t in response.context["page"]]
    assert subjects == ["T1 urgent", "T4 urgent", "T3 high"]
    narrowed = client.get("/tickets/", {"priority": "urgent"})
    assert "2 conversations" in narrowed.content.decode()
    assert [t.subject for t in narrowed.context["page"]] == ["T1 urgent", "T4 urgent"]
