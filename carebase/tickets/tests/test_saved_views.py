"""Saved inbox views: an agent's own, or shared with a team; counted beside
the queues; deleted by their owner (or a head, when shared)."""

import pytest

from carebase.core.models import AuditEvent
from carebase.core.roles import Role
from carebase.testing import client_for, make_user
from carebase.tickets.actions import do_create_ticket
from carebase.tickets.models import SavedView
from carebase.tickets.saved_views import do_save_view

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(acme_contact, support):
    urgent = do_create_ticket(
        subject="Urgent calls",
        body="x",
        requester=acme_contact,
        channel="phone",
        priority="urgent",
        team=support,
    )
    normal = do_create_ticket(
        subject="Normal mail", body="x", requester=acme_contact, channel="email", team=support
    )
    return urgent, normal


def test_an_agent_saves_the_current_filters_as_a_view(agent, support, tickets):
    support.members.add(agent)
    client = client_for(agent)
    response = client.post(
        "/tickets/views/",
        {
            "name": "Urgent phone",
            "queue": "open",
            "priority": "urgent",
            "channel": "phone",
            "view": "99",
            "page": "3",
        },
    )
    view = SavedView.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tickets/?view={view.pk}"
    assert view.owner == agent
    assert view.team is None
    assert view.filters == {"queue": ["open"], "priority": ["urgent"], "channel": ["phone"]}
    page = client.get(f"/tickets/?view={view.pk}")
    assert [t.subject for t in page.context["page"]] == ["Urgent calls"]
    counts = client.get("/tickets/views/counts/").content.decode()
    assert f'id="view-count-{view.pk}" hx-swap-oob="true">1</span>' in counts
    assert AuditEvent.objects.filter(kind="tickets.view_saved").count() == 1


def test_a_view_shared_with_the_team_is_seen_by_its_members_only(agent, support, success, tickets):
    support.members.add(agent)
    teammate = make_user("teammate", Role.SUPPORT_AGENT)
    support.members.add(teammate)
    stranger = make_user("stranger", Role.SUPPORT_AGENT)
    success.members.add(stranger)
    view = do_save_view(
        owner=agent,
        name="Phone",
        team=support,
        filters={"channel": ["phone"], "team": [str(support.pk)], "organization": ["Acme"]},
    )
    private = do_save_view(owner=agent, name="Mine", filters={"queue": ["mine"]})
    names = [v.name for v in client_for(teammate).get("/tickets/").context["saved_views"]]
    assert names == ["Phone"]
    counts = client_for(teammate).get("/tickets/views/counts/").content.decode()
    assert f'id="view-count-{view.pk}" hx-swap-oob="true">1</span>' in counts
    assert f"view-count-{private.pk}" not in counts
    assert client_for(teammate).get(f"/tickets/?view={view.pk}").status_code == 200
    assert client_for(teammate).get(f"/tickets/?view={private.pk}").status_code == 404
    assert client_for(stranger).get(f"/tickets/?view={view.pk}").status_code == 404


def test_sharing_and_the_team_filter_do_not_mix_up(agent, support, success):
    support.members.add(agent)
    response = client_for(agent).post(
        "/tickets/views/",
        {"name": "Success work", "share_with": support.pk, "team": success.pk, "queue": "all"},
    )
    assert response.status_code == 302
    view = SavedView.objects.get()
    assert view.team == support
    assert view.filters == {"queue": ["all"], "team": [str(success.pk)]}


def test_a_view_can_be_shared_only_with_ones_own_team(agent, support, success):
    support.members.add(agent)
    response = client_for(agent).post(
        "/tickets/views/", {"name": "Theirs", "share_with": success.pk, "channel": "phone"}
    )
    assert response.status_code == 302
    assert not SavedView.objects.exists()


def test_a_view_with_a_wrong_filter_is_not_saved(agent):
    client = client_for(agent)
    response = client.post("/tickets/views/", {"name": "Bad", "created_from": "soon"}, follow=True)
    assert not SavedView.objects.exists()
    assert "Enter a valid date." in response.content.decode()


def test_query_string_filters_narrow_a_view(head_of_support, tickets):
    view = do_save_view(owner=head_of_support, name="All", filters={"queue": ["all"]})
    client = client_for(head_of_support)
    page = client.get("/tickets/", {"view": view.pk, "channel": "email"})
    assert [t.subject for t in page.context["page"]] == ["Normal mail"]


def test_only_the_owner_or_a_head_deletes_a_shared_view(agent, head_of_support, support):
    support.members.add(agent)
    teammate = make_user("teammate", Role.SUPPORT_AGENT)
    support.members.add(teammate)
    view = do_save_view(owner=agent, name="Phone", team=support, filters={"channel": ["phone"]})
    assert client_for(teammate).post(f"/tickets/views/{view.pk}/delete/").status_code == 403
    assert client_for(head_of_support).post(f"/tickets/views/{view.pk}/delete/").status_code == 302
    assert not SavedView.objects.exists()
    assert AuditEvent.objects.filter(kind="tickets.view_deleted").count() == 1


def test_customers_have_no_views(customer):
    assert client_for(customer).post("/tickets/views/", {"name": "x"}).status_code == 404


def test_views_over_the_api(api_as, agent, support, tickets):
    support.members.add(agent)
    client = api_as(agent)
    created = client.post(
        "/ticket-views",
        {"name": "Urgent", "team": support.pk, "filters": {"priority": "urgent", "queue": "all"}},
    )
    assert created.status_code == 201
    body = created.json()
    assert body["filters"] == {"priority": ["urgent"], "queue": ["all"]}
    assert body["team"] == support.pk
    assert [v["name"] for v in client.get("/ticket-views").json()["items"]] == ["Urgent"]
    listed = client.get("/tickets", view=body["id"]).json()["items"]
    assert [item["subject"] for item in listed] == ["Urgent calls"]
    assert client.delete(f"/ticket-views/{body['id']}").status_code == 204
    assert client.get("/tickets", view=body["id"]).status_code == 404


def test_the_api_refuses_a_view_with_a_wrong_filter(api_as, agent):
    response = api_as(agent).post("/ticket-views", {"name": "Bad", "filters": {"status": "lost"}})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "status"]
    assert not SavedView.objects.exists()


def test_customers_cannot_use_views_over_the_api(api_as, customer, agent):
    view = do_save_view(owner=agent, name="Mine", filters={})
    client = api_as(customer)
    assert client.get("/ticket-views").status_code == 403
    assert client.post("/ticket-views", {"name": "x"}).status_code == 403
    assert client.get("/tickets", view=view.pk).status_code == 404
    assert client.delete(f"/ticket-views/{view.pk}").status_code == 404
