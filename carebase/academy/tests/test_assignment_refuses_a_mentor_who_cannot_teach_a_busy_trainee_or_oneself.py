"""A plan is assigned with a mentor who holds the right to teach, to a
trainee who is not the mentor and is not already working through a plan.
Each refusal says why: as an error of the action, on the page's form, and
as a 422 over the API."""

from datetime import date

import pytest

from carebase.academy.actions_plans import PlanError, do_assign_plan
from carebase.academy.models import Assignment
from carebase.academy.tests.academy_helpers import make_assignment, make_plan
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db

START = date(2026, 11, 9)


def test_the_action_refuses_each(mentor, trainee, agent, customer):
    plan = make_plan()
    with pytest.raises(PlanError, match="may not mentor"):
        do_assign_plan(plan, trainee=trainee, mentor=agent, start_date=START)
    with pytest.raises(PlanError, match="cannot be their own mentor"):
        do_assign_plan(plan, trainee=mentor, mentor=mentor, start_date=START)
    with pytest.raises(PlanError, match="only staff"):
        do_assign_plan(plan, trainee=customer, mentor=mentor, start_date=START)
    make_assignment(trainee, mentor, START, plan)
    with pytest.raises(PlanError, match="already working through a plan"):
        do_assign_plan(plan, trainee=trainee, mentor=mentor, start_date=START)
    assert Assignment.objects.count() == 1


def test_the_page_and_the_api_say_why(head_of_support, mentor, trainee, agent, api_as):
    plan = make_plan()
    form = {
        "plan": plan.pk,
        "trainee": trainee.pk,
        "mentor": agent.pk,
        "start_date": "2026-11-09",
        "meeting_every_days": 7,
    }
    page = client_for(head_of_support).post("/academy/assign/", form)
    # An agent is not offered as a mentor at all.
    assert page.status_code == 200 and "Select a valid choice" in page.content.decode()
    oneself = {**form, "trainee": mentor.pk, "mentor": mentor.pk}
    page = client_for(head_of_support).post("/academy/assign/", oneself)
    assert "cannot be their own mentor" in page.content.decode()

    api = api_as(head_of_support)
    body = {"plan": plan.pk, "trainee": trainee.pk, "mentor": agent.pk, "start_date": "2026-11-09"}
    answer = api.post("/academy/assignments", body)
    assert answer.status_code == 422 and "may not mentor" in answer.json()["detail"]
    answer = api.post("/academy/assignments", {**body, "trainee": mentor.pk, "mentor": mentor.pk})
    assert answer.status_code == 422 and "own mentor" in answer.json()["detail"]
    assert api.post("/academy/assignments", {**body, "mentor": mentor.pk}).status_code == 201
    answer = api.post("/academy/assignments", {**body, "mentor": mentor.pk})
    assert answer.status_code == 422 and "already working through" in answer.json()["detail"]
    second = make_user("mentor2", Role.MENTOR)
    answer = api.post("/academy/assignments", {**body, "trainee": second.pk, "mentor": mentor.pk})
    assert answer.status_code == 201  # a mentor may be a trainee of another mentor
