"""The inbox's filters: status, assignee, tag, organization, created and updated
ranges, on top of the queue; a wrong filter says so and lists nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from carebase.crm.models import Organization
from carebase.testing import client_for
from carebase.tickets.actions import do_assign, do_change_status, do_create_ticket

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


def open_ticket(requester, subject, **extra):
    return do_create_ticket(
        subject=subject, body="Body", requester=requester, channel="email", **extra
    )


def listed(user, **params):
    response = client_for(user).get("/tickets/", {"queue": "all", **params})
    assert response.status_code == 200
    return {ticket.subject for ticket in response.context["page"]}


def test_status_and_assignee_filters(head_of_support, agent, support, acme_contact):
    support.members.add(agent)
    mine = open_ticket(acme_contact, "mine", team=support, assignee=head_of_support)
    theirs = open_ticket(acme_contact, "theirs", team=support, assignee=agent)
    open_ticket(acme_contact, "nobody's", team=support)
    do_change_status(theirs, "pending", actor=agent)
    assert listed(head_of_support, status="pending") == {"theirs"}
    assert listed(head_of_support, status=["pending", "open"]) == {"theirs", "mine"}
    assert listed(head_of_support, assignee="me") == {"mine"}
    assert listed(head_of_support, assignee="none") == {"nobody's"}
    assert listed(head_of_support, assignee=str(agent.pk)) == {"theirs"}
    do_assign(mine, None, actor=head_of_support)
    assert listed(head_of_support, assignee="none") == {"nobody's", "mine"}


def test_tag_filter_counts_each_ticket_once(head_of_support, acme_contact):
    open_ticket(acme_contact, "tagged", tags=["vip", "billing"])
    open_ticket(acme_contact, "plain")
    assert listed(head_of_support, tag="VIP") == {"tagged"}
    response = client_for(head_of_support).get("/tickets/", {"queue": "all", "tag": "vip"})
    assert response.context["page"].paginator.count == 1
    assert response.context["counts"]["open"] == 2


def test_organization_filter_takes_a_name_or_an_id(head_of_support, acme_contact, globex_contact):
    open_ticket(acme_contact, "acme")
    open_ticket(globex_contact, "globex")
    acme = Organization.objects.get(name="Acme")
    assert listed(head_of_support, organization="acme") == {"acme"}
    assert listed(head_of_support, organization=str(acme.pk)) == {"acme"}


def test_an_unknown_organization_is_reported_and_lists_nothing(head_of_support, acme_contact):
    open_ticket(acme_contact, "acme")
    response = client_for(head_of_support).get("/tickets/", {"organization": "Initech"})
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert "No organization is called “Initech”." in response.content.decode()


def test_created_and_updated_ranges_are_days_in_the_users_time_zone(head_of_support, acme_contact):
    # 23:30 on 1 March in Warsaw is 22:30 UTC: still the 1st on the user's calendar.
    with time_machine.travel(datetime(2026, 3, 1, 23, 30, tzinfo=WARSAW), tick=False):
        late = open_ticket(acme_contact, "late on the 1st")
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=WARSAW), tick=False):
        open_ticket(acme_contact, "on the 2nd")
    with time_machine.travel(datetime(2026, 3, 5, 9, 0, tzinfo=WARSAW), tick=False):
        do_change_status(late, "pending", actor=head_of_support)
    assert listed(head_of_support, created_to="2026-03-01") == {"late on the 1st"}
    assert listed(head_of_support, created_from="2026-03-02") == {"on the 2nd"}
    assert listed(head_of_support, created_from="2026-03-01", created_to="2026-03-02") == {
        "late on the 1st",
        "on the 2nd",
    }
    assert listed(head_of_support, updated_from="2026-03-03") == {"late on the 1st"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"created_from": "2026-03-05", "created_to": "2026-03-01"}, "before its start"),
        ({"updated_from": "yesterday"}, "Enter a valid date."),
        ({"assignee": "someone"}, "Choose a person"),
        ({"status": "lost"}, "Select a valid choice."),
    ],
)
def test_a_wrong_filter_is_reported_and_lists_nothing(
    head_of_support, acme_contact, params, message
):
    open_ticket(acme_contact, "any")
    response = client_for(head_of_support).get("/tickets/", params)
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert message in response.content.decode()


def test_filters_stay_in_the_form_after_a_reload(head_of_support, acme_contact):
    open_ticket(acme_contact, "any", tags=["vip"])
    page = client_for(head_of_support).get(
        "/tickets/", {"tag": "vip", "created_from": "2026-01-01"}
    )
    html = page.content.decode()
    assert 'name="tag" list="tag-names" maxlength="50" size="12" value="vip"' in html
    assert 'name="created_from" value="2026-01-01"' in html
    # "More filters" opens by itself when one of them is set.
    assert '<details class="more-filters" open>' in html


def test_empty_fields_of_the_filter_bar_mean_no_filter(head_of_support, acme_contact):
    # What the browser sends when the bar changes: every field, most of them empty.
    open_ticket(acme_contact, "any")
    empty = dict.fromkeys(
        [
            "priority",
            "type",
            "channel",
            "team",
            "status",
            "assignee",
            "tag",
            "organization",
            "created_from",
            "created_to",
            "updated_from",
            "updated_to",
        ],
        "",
    )
    assert listed(head_of_support, **empty) == {"any"}


def test_a_wrong_filter_is_reported_in_the_rows_the_bar_refreshes(head_of_support):
    response = client_for(head_of_support).get(
        "/tickets/", {"created_from": "soon", "partial": "1"}, headers={"HX-Request": "true"}
    )
    assert 'role="alert"' in response.content.decode()
    assert "Enter a valid date." in response.content.decode()
