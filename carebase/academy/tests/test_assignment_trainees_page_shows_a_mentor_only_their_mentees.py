"""The trainees page and its API: a mentor sees the trainees they mentor,
a head every trainee working through a plan; finished plans are not
listed; an agent or a trainee is refused (403)."""

from datetime import date

import pytest
from django.utils import timezone

from carebase.academy.tests.academy_helpers import make_assignment
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def _listed(page, assignments):
    text = page.content.decode()
    return [a.pk for a in assignments if f'data-assignment="{a.pk}"' in text]


def test_each_sees_whom_they_may(head_of_support, mentor, trainee, agent, api_as):
    other_mentor = make_user("mentor2", Role.MENTOR)
    other = make_user("trainee2", Role.TRAINEE)
    finished_one = make_user("trainee3", Role.TRAINEE)
    mine = make_assignment(trainee, mentor, date(2026, 11, 9))
    theirs = make_assignment(other, other_mentor, date(2026, 11, 9))
    done = make_assignment(finished_one, mentor, date(2026, 10, 1))
    done.finished_at = timezone.now()
    done.save(update_fields=["finished_at"])
    everyone = [mine, theirs, done]

    assert _listed(client_for(mentor).get("/academy/trainees/"), everyone) == [mine.pk]
    assert _listed(client_for(head_of_support).get("/academy/trainees/"), everyone) == [
        mine.pk,
        theirs.pk,
    ]
    rows = api_as(mentor).get("/academy/progress").json()["items"]
    assert [row["assignment"] for row in rows] == [mine.pk]
    rows = api_as(head_of_support).get("/academy/progress").json()["items"]
    assert sorted(row["assignment"] for row in rows) == sorted([mine.pk, theirs.pk])

    for person in (agent, trainee):
        assert client_for(person).get("/academy/trainees/").status_code == 403
        assert api_as(person).get("/academy/progress").status_code == 403
    # The academy's home links it for those who teach only.
    assert 'href="/academy/trainees/"' in client_for(mentor).get("/academy/").content.decode()
    assert 'href="/academy/trainees/"' not in client_for(agent).get("/academy/").content.decode()
