"""A notice is its person's alone: anyone else, even a head who sees the
conversation, neither lists it nor marks it read (404, as for anything one
may not see, and nothing changes). Those who never get notices, a customer
or someone without a role, are refused the pages and the API (403), and
someone signed out is sent to sign in."""

import pytest

from carebase.testing import client_for
from carebase.workflow.models import Notice
from carebase.workflow.tests.notice_helpers import BREACHED, conversation, policy, sweep_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(agent):
    policy(("breach", "", "notify_assignee"))
    conversation("Rozmowy się nie nagrywają", assignee=agent)
    sweep_at(BREACHED)
    return Notice.objects.get(user=agent)


def test_another_person_neither_sees_nor_marks_the_notice(notice, head_of_support, api_as):
    head = client_for(head_of_support)
    assert "Rozmowy się nie nagrywają" not in head.get("/").content.decode()
    assert "Rozmowy się nie nagrywają" not in head.get("/workflow/notices/").content.decode()
    assert head.post(f"/workflow/notices/{notice.pk}/read/").status_code == 404
    assert head.post("/workflow/notices/read/").status_code == 302  # their own: none

    api = api_as(head_of_support)
    assert api.get("/notices").json() == {"items": [], "next": None}
    answer = api.post("/notices/read", {"ids": [notice.pk]})
    assert answer.status_code == 404
    assert api.post("/notices/read", {"all": True}).json() == {"marked": 0, "unread": 0}

    notice.refresh_from_db()
    assert notice.read_at is None


def test_a_notice_that_does_not_exist_is_not_found_either(notice, agent, api_as):
    assert client_for(agent).post(f"/workflow/notices/{notice.pk + 1}/read/").status_code == 404
    # One stray id in the list: nothing is marked, not even the caller's own.
    answer = api_as(agent).post("/notices/read", {"ids": [notice.pk, notice.pk + 1]})
    assert answer.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.parametrize("persona", ["customer", "outsider"])
def test_those_who_never_get_notices_are_refused(request, notice, persona, api_as):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get("/workflow/notices/").status_code == 403
    assert client.get("/workflow/notices/panel/").status_code == 403
    assert client.post(f"/workflow/notices/{notice.pk}/read/").status_code == 403
    assert client.post("/workflow/notices/read/").status_code == 403
    api = api_as(user)
    assert api.get("/notices").status_code == 403
    assert api.post("/notices/read", {"all": True}).status_code == 403


def test_someone_signed_out_is_sent_to_sign_in(notice, client, api_as):
    answer = client.get("/workflow/notices/")
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    answer = client.post(f"/workflow/notices/{notice.pk}/read/")
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    assert api_as().get("/notices").status_code == 401
    notice.refresh_from_db()
    assert notice.read_at is None
