"""A notice outlives a move: when its conversation goes to a team the
person is not in, and to someone else, the notice still waits to be marked
read, but shows only the reference, without the subject or a link, on the
home page, the notices page and the API."""

import pytest

from carebase.core.roles import Role
from carebase.testing import client_for, make_user
from carebase.tickets.actions import do_assign, do_set_team
from carebase.workflow.models import Notice
from carebase.workflow.tests.notice_helpers import (
    BREACHED,
    conversation,
    policy,
    sweep_at,
    team,
)

pytestmark = pytest.mark.django_db

SUBJECT = "Faktura za ostatni miesiąc"


def test_a_moved_conversation_keeps_its_reference_but_not_its_subject(agent, api_as):
    colleague = make_user("agent2", Role.SUPPORT_AGENT)
    first_line = team("first-line", agent)
    billing = team("billing", colleague)
    policy(("breach", "", "notify_assignee"))
    ticket = conversation(SUBJECT, assignee=agent, team=first_line)
    sweep_at(BREACHED)
    client = client_for(agent)
    assert SUBJECT in client.get("/").content.decode()

    do_set_team(ticket, billing, actor=None)
    do_assign(ticket, colleague, actor=None)
    assert client.get(f"/tickets/{ticket.pk}/").status_code == 404

    for path in ("/", "/workflow/notices/"):
        page = client.get(path).content.decode()
        assert f"#{ticket.pk} " in page
        assert "You can no longer open this conversation." in page
        assert SUBJECT not in page
        assert f'href="/tickets/{ticket.pk}/"' not in page
    item = api_as(agent).get("/notices").json()["items"][0]
    assert item["ticket"] == {"id": ticket.pk, "reference": f"#{ticket.pk}", "subject": None}

    # Still theirs to dismiss.
    notice = Notice.objects.get(user=agent)
    assert client.post(f"/workflow/notices/{notice.pk}/read/").status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None
