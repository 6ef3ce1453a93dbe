"""An assignment is finished when every item that counts is done: lunch and
admin time are never ticked off and never wait. The trainee confirms tasks;
the mentor may confirm a meeting but not the trainee's task (403); sending
an item back (mentor or manager only) makes the plan unfinished again."""

from datetime import date

import pytest

from carebase.academy.models import Plan, PlanItem
from carebase.academy.tests.academy_helpers import make_assignment
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_done_when_the_work_is_done(mentor, trainee):
    plan = Plan.objects.create(title="One day")
    PlanItem.objects.create(plan=plan, day=1, kind="task", title="Configure a project")
    PlanItem.objects.create(plan=plan, day=1, kind="meeting", title="Meet the mentor")
    PlanItem.objects.create(plan=plan, day=1, kind="lunch", title="Lunch", minutes=30)
    assignment = make_assignment(trainee, mentor, date(2026, 11, 9), plan)
    task, meeting, lunch = (
        assignment.items.get(kind=kind) for kind in ("task", "meeting", "lunch")
    )
    own, theirs = client_for(trainee), client_for(mentor)

    answer = own.post(f"/academy/assignment-items/{lunch.pk}/done/", follow=True)
    assert "not something to tick off" in answer.content.decode()
    assert theirs.post(f"/academy/assignment-items/{task.pk}/done/").status_code == 403
    assert theirs.post(f"/academy/assignment-items/{meeting.pk}/done/").status_code == 302
    assert own.post(f"/academy/assignment-items/{task.pk}/done/").status_code == 302
    assignment.refresh_from_db()
    lunch.refresh_from_db()
    assert assignment.finished_at is not None
    assert lunch.done_at is None

    assert own.post(f"/academy/assignment-items/{task.pk}/undo/").status_code == 403
    assert theirs.post(f"/academy/assignment-items/{task.pk}/undo/").status_code == 302
    assignment.refresh_from_db()
    task.refresh_from_db()
    assert assignment.finished_at is None and task.done_at is None
