"""`GET /academy/assignments` lists every assignment for a manager, a
mentor's mentees' (and their own), a trainee's own; each with its items'
progress. One assignment's detail has its items and meetings."""

from datetime import date

import pytest

from carebase.academy.tests.academy_helpers import make_assignment
from carebase.core.roles import Role
from carebase.testing import make_user

pytestmark = pytest.mark.django_db


def test_each_lists_whom_they_may(head_of_support, mentor, trainee, api_as):
    other_mentor = make_user("mentor2", Role.MENTOR)
    mine = make_assignment(trainee, mentor, date(2026, 11, 9))
    theirs = make_assignment(make_user("trainee2", Role.TRAINEE), other_mentor, date(2026, 11, 9))
    mentors_own = make_assignment(mentor, other_mentor, date(2026, 11, 9))

    def listed(user, **params):
        answer = api_as(user).get("/academy/assignments", **params)
        assert answer.status_code == 200
        return sorted(row["id"] for row in answer.json()["items"])

    assert listed(head_of_support) == sorted([mine.pk, theirs.pk, mentors_own.pk])
    assert listed(mentor) == sorted([mine.pk, mentors_own.pk])
    assert listed(trainee) == [mine.pk]
    assert listed(head_of_support, trainee=trainee.pk) == [mine.pk]
    assert listed(head_of_support, active="false") == []

    detail = api_as(trainee).get(f"/academy/assignments/{mine.pk}").json()
    assert detail["progress"]["items_total"] == 3
    assert [item["kind"] for item in detail["items"]] == ["task", "lunch"] * 3
    assert detail["items"][2]["date"] == "2026-11-10"
    assert len(detail["meetings"]) == 1
