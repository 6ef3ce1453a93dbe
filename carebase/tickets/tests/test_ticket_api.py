import pytest

from carebase.crm.models import Contact
from carebase.tickets.actions import do_add_reply, do_change_status, do_create_ticket
from carebase.tickets.models import Status, Ticket

pytestmark = pytest.mark.django_db


def create(api, **extra):
    body = {
        "subject": "Widget does not load",
        "body": "The chat widget is blank on our site.",
        "requester": {"email": "Jan.Nowak@Example.com", "name": "Jan Nowak"},
        "channel": "api",
    }
    body.update(extra)
    return api.post("/tickets", body)


def test_staff_open_a_conversation_in_the_designs_shape(head_of_support, api_as):
    response = create(api_as(head_of_support), type="problem", priority="high")
    assert response.status_code == 201, response.content
    body = response.json()
    for key in (
        "id",
        "reference",
        "subject",
        "status",
        "priority",
        "type",
        "channel",
        "requester",
        "organization",
        "assignee",
        "created_at",
    ):
        assert key in body, key
    assert body["reference"] == f"#{body['id']}"
    assert (body["status"], body["priority"], body["type"]) == ("new", "high", "problem")
    assert body["requester"]["email"] == "jan.nowak@example.com"
    assert body["sla"] == []
    assert Contact.objects.filter(name="Jan Nowak").count() == 1


def test_the_same_email_finds_the_same_contact(head_of_support, api_as):
    api = api_as(head_of_support)
    first = create(api).json()
    second = create(api, requester={"email": "jan.nowak@example.com"}).json()
    assert first["requester"]["id"] == second["requester"]["id"]


def test_staff_must_name_a_requester(head_of_support, api_as):
    response = create(api_as(head_of_support), requester=None)
    assert response.status_code == 422
    assert not Ticket.objects.exists()


def test_a_customer_opens_their_own_request(customer, api_as):
    response = create(api_as(customer), priority="urgent", requester=None)
    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert ticket.requester.user == customer and ticket.organization.name == "Acme"
    assert ticket.priority == "normal"  # triage is the team's


def test_a_customer_asking_for_another_organizations_ticket_gets_404(
    customer, globex_contact, api_as
):
    ticket = do_create_ticket(subject="S", body="B", requester=globex_contact, channel="email")
    api = api_as(customer)
    assert api.get(f"/tickets/{ticket.pk}").status_code == 404
    assert api.get(f"/tickets/{ticket.pk}/messages").status_code == 404
    assert api.post(f"/tickets/{ticket.pk}/messages", {"body": "hi"}).status_code == 404


def test_an_agent_outside_the_tickets_team_gets_404(agent, acme_contact, success, api_as):
    ticket = do_create_ticket(
        subject="S", body="B", requester=acme_contact, channel="email", team=success
    )
    assert api_as(agent).get(f"/tickets/{ticket.pk}").status_code == 404


def test_an_agent_updates_status_priority_tags_and_assignee(agent, support, acme_contact, api_as):
    support.members.add(agent)
    ticket = do_create_ticket(
        subject="S", body="B", requester=acme_contact, channel="email", team=support
    )
    response = api_as(agent).patch(
        f"/tickets/{ticket.pk}",
        {"priority": "urgent", "tags": ["Asterisk"], "assignee": agent.pk, "status": "pending"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["priority"], body["tags"], body["assignee"], body["status"]) == (
        "urgent",
        ["asterisk"],
        agent.pk,
        "pending",
    )


def test_changing_a_closed_ticket_is_a_409_with_the_reason(agent, acme_contact, api_as):
    ticket = do_create_ticket(subject="S", body="B", requester=acme_contact, channel="email")
    do_change_status(ticket, Status.SOLVED, actor=agent)
    do_change_status(ticket, Status.CLOSED, actor=agent)
    response = api_as(agent).patch(f"/tickets/{ticket.pk}", {"priority": "high"})
    assert response.status_code == 409
    assert "closed" in response.json()["detail"]


def test_customers_cannot_update_tickets(customer, acme_contact, api_as):
    ticket = do_create_ticket(subject="S", body="B", requester=acme_contact, channel="email")
    assert api_as(customer).patch(f"/tickets/{ticket.pk}", {"status": "solved"}).status_code == 403


def test_messages_add_replies_and_notes_and_customers_see_public_ones(
    agent, customer, acme_contact, api_as
):
    ticket = do_create_ticket(subject="S", body="B", requester=acme_contact, channel="email")
    staff = api_as(agent)
    assert (
        staff.post(
            f"/tickets/{ticket.pk}/messages", {"body": "Refund?", "public": False}
        ).status_code
        == 201
    )
    reply = staff.post(f"/tickets/{ticket.pk}/messages", {"body": "Fixed.", "status": "solved"})
    assert reply.status_code == 201 and reply.json()["public"] is True
    customer_view = api_as(customer).get(f"/tickets/{ticket.pk}/messages").json()["items"]
    assert [m["body"] for m in customer_view] == ["B", "Fixed."]
    staff_view = staff.get(f"/tickets/{ticket.pk}/messages").json()["items"]
    assert len(staff_view) == 3
    assert api_as(customer).get(f"/tickets/{ticket.pk}").json()["status"] == "solved"


def test_a_customer_reply_reopens_and_a_note_from_a_customer_is_refused(
    customer, agent, acme_contact, api_as
):
    ticket = do_create_ticket(subject="S", body="B", requester=acme_contact, channel="email")
    do_add_reply(ticket, body="Fixed", author_user=agent, status=Status.SOLVED)
    api = api_as(customer)
    assert (
        api.post(f"/tickets/{ticket.pk}/messages", {"body": "x", "public": False}).status_code
        == 403
    )
    assert api.post(f"/tickets/{ticket.pk}/messages", {"body": "Not fixed"}).status_code == 201
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_tickets_merge_through_the_api(agent, acme_contact, api_as):
    first = do_create_ticket(subject="A", body="B", requester=acme_contact, channel="email")
    second = do_create_ticket(subject="A again", body="C", requester=acme_contact, channel="email")
    response = api_as(agent).post(f"/tickets/{second.pk}/merge", {"into": first.pk})
    assert response.status_code == 200 and response.json()["id"] == first.pk
    assert Ticket.objects.get(pk=second.pk).merged_into_id == first.pk


def test_the_list_filters_and_syncs_by_updated_since(head_of_support, acme_contact, api_as):
    api = api_as(head_of_support)
    old = do_create_ticket(subject="Old", body="B", requester=acme_contact, channel="email")
    new = do_create_ticket(
        subject="Urgent one", body="B", requester=acme_contact, channel="phone", priority="urgent"
    )
    assert [t["id"] for t in api.get("/tickets", priority="urgent").json()["items"]] == [new.pk]
    assert [t["id"] for t in api.get("/tickets", channel="email").json()["items"]] == [old.pk]
    assert [t["id"] for t in api.get("/tickets", assignee="none").json()["items"]] == [
        old.pk,
        new.pk,
    ]
    since = new.updated_at.isoformat()
    assert [t["id"] for t in api.get("/tickets", updated_since=since).json()["items"]] == [new.pk]


def test_the_ticket_list_costs_the_same_queries_for_many_rows(
    head_of_support, acme_contact, api_as, django_assert_max_num_queries
):
    api = api_as(head_of_support)
    for number in range(30):
        do_create_ticket(
            subject=f"T{number}", body="B", requester=acme_contact, channel="email", tags=["a", "b"]
        )
    api.get("/tickets", limit=5)
    with django_assert_max_num_queries(8):
        assert len(api.get("/tickets", limit=30).json()["items"]) == 30


def test_updated_since_takes_iso_dates_only(head_of_support, api_as):
    response = api_as(head_of_support).get("/tickets", updated_since="1700000000")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "updated_since"
