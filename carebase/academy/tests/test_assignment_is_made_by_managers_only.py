"""A head assigns a plan to a trainee with a mentor and a start date: the
trainee gets a copy of every item, the mentor's meetings are scheduled and
the assignment is on the record. An agent (or a mentor) is refused: 403,
on the page and over the API, and nothing is made."""

from datetime import date

import pytest

from carebase.academy.models import Assignment, EventKind
from carebase.academy.tests.academy_helpers import make_plan
from carebase.core.events import events_for
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _form(plan, trainee, mentor):
    return {
        "plan": plan.pk,
        "trainee": trainee.pk,
        "mentor": mentor.pk,
        "start_date": "2026-11-09",
        "meeting_every_days": 7,
    }


def test_a_head_assigns_a_plan(head_of_support, mentor, trainee):
    plan = make_plan(days=3)
    answer = client_for(head_of_support).post("/academy/assign/", _form(plan, trainee, mentor))
    assignment = Assignment.objects.get()
    assert (
        answer.status_code == 302 and answer["Location"] == f"/academy/assignments/{assignment.pk}/"
    )
    assert (assignment.trainee, assignment.mentor, assignment.start_date) == (
        trainee,
        mentor,
        date(2026, 11, 9),
    )
    assert assignment.assigned_by == head_of_support
    copied = list(assignment.items.values_list("day", "position", "kind", "title", "minutes"))
    assert copied == list(plan.items.values_list("day", "position", "kind", "title", "minutes"))
    assert assignment.meetings.count() == 1
    [event] = events_for(assignment)
    assert event.kind == EventKind.PLAN_ASSIGNED and event.actor == head_of_support


def test_an_agent_or_a_mentor_cannot_assign(agent, mentor, trainee, api_as):
    plan = make_plan()
    for person in (agent, mentor):
        assert client_for(person).get("/academy/assign/").status_code == 403
        page = client_for(person).post("/academy/assign/", _form(plan, trainee, mentor))
        assert page.status_code == 403
        body = {
            "plan": plan.pk,
            "trainee": trainee.pk,
            "mentor": mentor.pk,
            "start_date": "2026-11-09",
        }
        assert api_as(person).post("/academy/assignments", body).status_code == 403
    assert not Assignment.objects.exists()
