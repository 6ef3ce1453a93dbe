"""The sweep's notices wait on their person's home page, newest first, red
for a missed target and amber for a close one, until they are marked read:
without JavaScript the button comes back home, with htmx it swaps the panel;
"mark all" leaves a notice that came after the page was shown. With nothing
unread the home page shows nothing of them."""

import re
from datetime import timedelta

import pytest
import time_machine

from carebase.testing import client_for
from carebase.workflow.models import Notice
from carebase.workflow.tests.notice_helpers import (
    BREACHED,
    WARNED,
    at,
    conversation,
    policy,
    sweep_at,
)

pytestmark = pytest.mark.django_db


def _panel(page: str) -> str:
    found = re.search(
        r'<section class="card sla-notices" id="sla-notices".*?</section>', page, re.S
    )
    assert found, "no notices panel on the page"
    return found.group(0)


def test_a_warning_and_a_breach_wait_on_the_assignees_home_until_read(
    agent, django_assert_max_num_queries
):
    policy()
    ticket = conversation("Rozmowy się nie nagrywają", assignee=agent)
    sweep_at(WARNED)
    sweep_at(BREACHED)
    client = client_for(agent)

    with time_machine.travel(BREACHED + timedelta(minutes=12), tick=False):
        panel = _panel(client.get("/").content.decode())
        assert "hidden" not in panel.split(">")[0]
        assert re.findall(r'data-moment="(\w+)"', panel) == ["breach", "warning"]
        assert "2 unread" in panel
        assert panel.count(f'href="/tickets/{ticket.pk}/"') == 2
        assert f"#{ticket.pk} Rozmowy się nie nagrywają" in panel
        assert "First response" in panel
        assert 'class="badge priority-urgent">SLA breached' in panel
        assert 'class="badge priority-high">SLA at risk' in panel
        assert "12\xa0minutes ago" in panel  # timesince keeps the number with its unit
        with django_assert_max_num_queries(4):
            assert client.get("/workflow/notices/panel/").status_code == 200

    breach = Notice.objects.get(moment="breach")
    warning = Notice.objects.get(moment="warning")
    with time_machine.travel(at(2026, 12, 7, 10, 30), tick=False):
        # Without JavaScript: the form posts and comes back home.
        answer = client.post(f"/workflow/notices/{breach.pk}/read/", {"part": "panel"})
        assert (answer.status_code, answer["Location"]) == (302, "/")
    breach.refresh_from_db()
    assert breach.read_at == at(2026, 12, 7, 10, 30)
    panel = _panel(client.get("/").content.decode())
    assert re.findall(r'data-moment="(\w+)"', panel) == ["warning"]

    # With htmx: the redirect lands on the panel alone, which htmx swaps in.
    answer = client.post(
        f"/workflow/notices/{warning.pk}/read/",
        {"part": "panel"},
        headers={"HX-Request": "true"},
        follow=True,
    )
    assert answer.redirect_chain == [("/workflow/notices/panel/", 302)]
    panel = _panel(answer.content.decode())
    assert " hidden>" in panel and "data-notice" not in panel
    assert not Notice.objects.filter(read_at=None).exists()


def test_mark_all_leaves_a_notice_that_came_after_the_page_was_shown(agent):
    policy()
    conversation("Widget nie ładuje się na stronie", assignee=agent)
    conversation("Brak przekierowania po godzinach pracy", assignee=agent)
    sweep_at(BREACHED)
    client = client_for(agent)
    page = client.get("/").content.decode()
    up_to = re.search(r'name="up_to" value="(\d+)"', page).group(1)

    later = conversation(
        "Numer dynamiczny się nie podmienia", assignee=agent, opened=at(2026, 12, 7, 11, 0)
    )
    sweep_at(at(2026, 12, 7, 12, 5))
    answer = client.post("/workflow/notices/read/", {"part": "panel", "up_to": up_to})
    assert answer.status_code == 302
    unread = Notice.objects.filter(read_at=None)
    assert {notice.ticket_id for notice in unread} == {later.pk}  # its warning and its breach
    assert f"#{later.pk} Numer dynamiczny" in _panel(client.get("/").content.decode())


def test_the_panel_lists_the_ten_newest_and_counts_them_all(agent, django_assert_max_num_queries):
    policy(("breach", "", "notify_assignee"))
    for number in range(12):
        conversation(f"Zgłoszenie {number}", assignee=agent, opened=at(2026, 12, 7, 8, number * 4))
    sweep_at(at(2026, 12, 7, 12, 0))
    client = client_for(agent)
    with django_assert_max_num_queries(5):  # the ten, then the count of all
        panel = _panel(client.get("/workflow/notices/panel/").content.decode())
    on_home = _panel(client.get("/").content.decode())
    assert re.findall(r'data-notice="(\d+)"', panel) == re.findall(r'data-notice="(\d+)"', on_home)
    assert panel.count("data-notice=") == 10
    assert "12 unread" in panel
    assert 'href="/workflow/notices/?unread=1">See all 12 unread' in panel


def test_the_home_page_stays_calm_with_nothing_unread(agent, sales, outsider):
    policy()
    ticket = conversation(assignee=agent)
    sweep_at(BREACHED)
    Notice.objects.filter(ticket=ticket).update(read_at=BREACHED)
    for person in (agent, sales):
        page = client_for(person).get("/").content.decode()
        # An empty, hidden panel, there only to fetch itself when a notice arrives live.
        assert 'id="sla-notices"\n  hx-get="/workflow/notices/panel/"' in page
        assert " hidden>" in _panel(page)
        assert "SLA notices" not in _panel(page)
    # Someone with no role at all works no conversations and gets no panel.
    assert 'id="sla-notices"' not in client_for(outsider).get("/").content.decode()
