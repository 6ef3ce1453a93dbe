"""The mentor adjusts one trainee's plan (moves an item to another day,
changes its time and title, adds one, removes one): the template and the
other trainees' plans stay as they were. The trainee cannot adjust their
own plan (403), and a mentor of other trainees does not find it (404)."""

from datetime import date

import pytest

from carebase.academy.tests.academy_helpers import make_assignment, make_plan
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db

FIELDS = ("day", "position", "kind", "title", "minutes")


def test_one_trainees_changes_stay_theirs(mentor, trainee):
    plan = make_plan(days=3)
    template = list(plan.items.values_list(*FIELDS))
    mine = make_assignment(trainee, mentor, date(2026, 11, 9), plan)
    other = make_assignment(make_user("trainee2", Role.TRAINEE), mentor, date(2026, 11, 9), plan)
    task = mine.items.get(title="Task 1")
    lunch = mine.items.get(day=3, kind="lunch")
    client = client_for(mentor)

    moved = client.post(
        f"/academy/assignment-items/{task.pk}/edit/",
        {"day": 2, "kind": "task", "title": "Configure a test project", "minutes": 90},
    )
    assert moved.status_code == 302
    added = client.post(
        f"/academy/assignments/{mine.pk}/items/new/",
        {"day": 4, "kind": "shadow", "title": "Shadow two calls", "minutes": 60},
    )
    assert added.status_code == 302
    assert client.post(f"/academy/assignment-items/{lunch.pk}/remove/").status_code == 302

    assert list(mine.items.values_list(*FIELDS)) == [
        (1, 1, "lunch", "Lunch", 30),
        (2, 0, "task", "Task 2", 30),
        (2, 1, "lunch", "Lunch", 30),
        (2, 2, "task", "Configure a test project", 90),
        (3, 0, "task", "Task 3", 30),
        (4, 0, "shadow", "Shadow two calls", 60),
    ]
    assert list(plan.items.values_list(*FIELDS)) == template
    assert list(other.items.values_list(*FIELDS)) == template


def test_the_trainee_and_other_mentors_cannot_adjust(mentor, trainee):
    mine = make_assignment(trainee, mentor, date(2026, 11, 9))
    task = mine.items.filter(kind="task").first()
    own = client_for(trainee)
    assert own.get(f"/academy/assignment-items/{task.pk}/edit/").status_code == 403
    assert own.post(f"/academy/assignment-items/{task.pk}/remove/").status_code == 403
    new = {"day": 1, "kind": "task", "title": "Skip it", "minutes": 5}
    assert own.post(f"/academy/assignments/{mine.pk}/items/new/", new).status_code == 403
    stranger = client_for(make_user("mentor2", Role.MENTOR))
    assert stranger.post(f"/academy/assignment-items/{task.pk}/remove/").status_code == 404
    assert mine.items.count() == 6
