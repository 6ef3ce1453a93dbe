"""/workflow/notices/ lists every notice of its person, read and unread,
newest first, fifty a page in a bounded number of queries; "unread" narrows
it; its buttons come back to the same page and filter without JavaScript,
and let htmx pick the list out of it."""

import re
from datetime import timedelta

import pytest

from carebase.testing import client_for
from carebase.workflow.models import Notice, SlaClock
from carebase.workflow.tests.notice_helpers import BREACHED, conversation, policy, sweep_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(agent):
    """55 breach notices a minute apart, the five oldest read. (A person gets
    one notice per clock and moment: each stands on a copy of one clock.)"""
    policy(("breach", "", "notify_assignee"))
    ticket = conversation("Rozmowy się nie nagrywają", assignee=agent)
    sweep_at(BREACHED)
    Notice.objects.all().delete()
    clock = SlaClock.objects.get(ticket=ticket, metric="first_response")
    fields = {f.attname: getattr(clock, f.attname) for f in clock._meta.fields if not f.primary_key}
    clocks = SlaClock.objects.bulk_create(SlaClock(**fields) for _copy in range(55))
    Notice.objects.bulk_create(
        Notice(
            user=agent,
            ticket=ticket,
            clock=copy,
            moment="breach",
            created_at=BREACHED + timedelta(minutes=minute),
            read_at=BREACHED + timedelta(hours=2) if minute < 5 else None,
        )
        for minute, copy in enumerate(clocks)
    )
    return list(Notice.objects.order_by("-created_at", "-id"))


def _ids(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-notice="(\d+)"', page)]


def test_every_notice_newest_first_fifty_a_page(many, agent, django_assert_max_num_queries):
    client = client_for(agent)
    with django_assert_max_num_queries(6):
        first = client.get("/workflow/notices/").content.decode()
    assert _ids(first) == [notice.pk for notice in many[:50]]
    assert "Page 1 of 2" in first and "50 unread" in first
    assert first.count(">Mark as read<") == 50
    second = client.get("/workflow/notices/", {"page": 2}).content.decode()
    assert _ids(second) == [notice.pk for notice in many[50:]]
    # The five oldest were read: their time instead of a button.
    assert "Mark as read" not in second and second.count("Read <time") == 5

    unread = client.get("/workflow/notices/", {"unread": 1}).content.decode()
    assert _ids(unread) == [notice.pk for notice in many[:50]]
    assert "Page 1 of 2" not in unread


def test_a_button_comes_back_to_the_same_page_and_filter(many, agent):
    client = client_for(agent)
    newest = many[0]
    answer = client.post(
        f"/workflow/notices/{newest.pk}/read/", {"page": "2", "unread": "1", "part": "page"}
    )
    assert (answer.status_code, answer["Location"]) == (302, "/workflow/notices/?unread=1&page=2")

    # htmx follows the redirect and picks #notices-list out of the page.
    answer = client.post(
        f"/workflow/notices/{many[1].pk}/read/",
        {"page": "1", "unread": "1"},
        headers={"HX-Request": "true"},
        follow=True,
    )
    page = answer.content.decode()
    assert answer.redirect_chain == [("/workflow/notices/?unread=1", 302)]
    assert 'id="notices-list"' in page
    assert _ids(page) == [notice.pk for notice in many[2:50]]

    up_to = re.search(r'name="up_to" value="(\d+)"', page).group(1)
    answer = client.post("/workflow/notices/read/", {"up_to": up_to, "unread": "1"})
    assert answer["Location"] == "/workflow/notices/?unread=1"
    assert not Notice.objects.filter(read_at=None).exists()
    empty = client.get(answer["Location"]).content.decode()
    assert "Nothing unread: every notice has been read." in empty
    assert "Mark all as read" not in empty
