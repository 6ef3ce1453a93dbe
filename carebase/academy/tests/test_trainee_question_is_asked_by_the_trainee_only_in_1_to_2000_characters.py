"""Only the trainee of an assignment writes down questions for its meetings,
each of 1 to 2000 characters: an empty or too long question is refused with
a message and nothing is saved; the mentor (who sees the assignment) is
refused (403), another trainee does not see it (404)."""

import pytest
from django.utils import timezone

from carebase.academy.models import Assignment, TraineeQuestion
from carebase.academy.tests.academy_helpers import make_plan
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def test_only_the_trainee_asks_and_only_a_question_of_sensible_length(mentor, trainee, api_as):
    assignment = Assignment.objects.create(
        plan=make_plan(), trainee=trainee, mentor=mentor, start_date=timezone.localdate()
    )
    url = f"/academy/assignments/{assignment.pk}/ask/"
    client = client_for(trainee)

    empty = client.post(url, {"text": "   "}, follow=True)
    assert "This field is required." in empty.content.decode()
    too_long = client.post(url, {"text": "x" * 2001}, follow=True)
    assert (
        "Ensure this value has at most 2000 characters (it has 2001)." in too_long.content.decode()
    )
    assert TraineeQuestion.objects.count() == 0

    assert client_for(mentor).post(url, {"text": "Mine"}).status_code == 403
    other = make_user("trainee2", Role.TRAINEE)
    assert client_for(other).post(url, {"text": "Mine"}).status_code == 404
    assert TraineeQuestion.objects.count() == 0

    api_url = f"/academy/assignments/{assignment.pk}/questions"
    assert api_as(mentor).post(api_url, {"text": "Mine"}).status_code == 403
    assert api_as(other).post(api_url, {"text": "Mine"}).status_code == 404
    assert api_as(trainee).post(api_url, {"text": ""}).status_code == 422
    assert api_as(trainee).post(api_url, {"text": "x" * 2001}).status_code == 422
    assert TraineeQuestion.objects.count() == 0

    assert client.post(url, {"text": "x" * 2000}).status_code == 302
    asked = api_as(trainee).post(api_url, {"text": "Who approves refunds?"})
    assert asked.status_code == 201
    assert asked.json()["text"] == "Who approves refunds?"
    assert asked.json()["answered_at"] is None
    assert TraineeQuestion.objects.count() == 2
