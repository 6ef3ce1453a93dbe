"""The plans and assignments API refuses bad input with 422 and a message
that says what is wrong; what the caller may not see is 404, what they may
see but not do 403."""

from datetime import date

import pytest

from carebase.academy.models import Plan, PlanItem
from carebase.academy.tests.academy_helpers import make_assignment, make_plan
from carebase.kb.tests.kb_helpers import article

pytestmark = pytest.mark.django_db


def _plan(**changes):
    item = {"day": 1, "kind": "task", "title": "Configure a test project", "minutes": 60}
    item.update(changes)
    return {"title": "Support agent onboarding", "items": [item]}


def test_plans_with_bad_items_are_refused(head_of_support, api_as):
    api = api_as(head_of_support)
    draft = article("Szkic", "…", publish=False)
    cases = [
        (_plan(day=0), "day"),
        (_plan(minutes=0), "minutes"),
        (_plan(minutes=601), "minutes"),
        (_plan(kind="nap"), "kind"),
        (_plan(kind="read"), "Choose the article to read."),
        (_plan(kind="read", article=draft.pk), "No published article you may read"),
        (_plan(kind="video"), "Give the address of the video."),
        (_plan(kind="video", url="javascript:alert(1)"), "must begin with https://"),
        (_plan(kind="quiz"), "Choose the quiz to take."),
        (_plan(kind="quiz", quiz=999999), "No quiz you may see"),
        ({"title": "", "items": []}, "title"),
        ({"title": "Short days", "day_minutes": 30}, "day_minutes"),
    ]
    for body, says in cases:
        answer = api.post("/academy/plans", body)
        assert answer.status_code == 422, body
        assert says in str(answer.json()["detail"]), (body, answer.json())
    assert not Plan.objects.exists()

    answer = api.post("/academy/plans", _plan())
    assert answer.status_code == 201
    assert answer.json()["items"][0]["title"] == "Configure a test project"


def test_items_that_cannot_be_completed_so_are_422(mentor, trainee, api_as):
    text = article("Nagrywanie rozmów", "…", visibility="internal")
    plan = make_plan(days=1)
    PlanItem.objects.create(plan=plan, day=1, kind="read", title="Read", article=text)
    assignment = make_assignment(trainee, mentor, date(2026, 11, 9), plan)
    api = api_as(trainee)
    base = f"/academy/assignments/{assignment.pk}/items"
    lunch = assignment.items.get(kind="lunch")
    read = assignment.items.get(kind="read")
    answer = api.post(f"{base}/{lunch.pk}/complete")
    assert answer.status_code == 422 and "not something to tick off" in answer.json()["detail"]
    answer = api.post(f"{base}/{read.pk}/complete")
    assert answer.status_code == 422 and "Open the article" in answer.json()["detail"]
    opened = api.post(f"{base}/{read.pk}/open")
    assert opened.status_code == 200 and opened.json()["url"] == f"/kb/{text.pk}/"
    done = api.post(f"{base}/{read.pk}/complete")
    assert done.status_code == 200 and done.json()["article_version_read"] == 1
    assert api.post(f"{base}/999999/complete").status_code == 404
    assert (
        api_as(mentor).post(f"{base}/{assignment.items.get(kind='task').pk}/complete").status_code
        == 403
    )


def test_unknown_references_and_rights(head_of_support, mentor, trainee, api_as):
    api = api_as(head_of_support)
    body = {"plan": 999999, "trainee": trainee.pk, "mentor": mentor.pk, "start_date": "2026-11-09"}
    answer = api.post("/academy/assignments", body)
    assert answer.status_code == 422 and "No plan" in answer.json()["detail"]
    body["plan"] = make_plan().pk
    answer = api.post("/academy/assignments", {**body, "mentor": 999999})
    assert answer.status_code == 422
    answer = api.post("/academy/assignments", {**body, "start_date": "9 November"})
    assert answer.status_code == 422
    assert api.get("/academy/assignments/999999").status_code == 404
    assert api.get("/academy/plans/999999").status_code == 404
    assert api_as(trainee).post("/academy/plans", _plan()).status_code == 403
    assert api_as(mentor).get("/academy/plans").status_code == 403
