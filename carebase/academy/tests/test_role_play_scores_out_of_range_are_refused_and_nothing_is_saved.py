"""A role-play run is graded with one whole-number score per criterion of
the card's rubric, each from 0 to that criterion's points. A score out of
range, missing or not a whole number is refused with an error that names
the criterion, on the page and over the API (422), and nothing is saved."""

import pytest
from django.utils import timezone

from carebase.academy.models import Assignment, RolePlay, RolePlayCard
from carebase.academy.tests.academy_helpers import make_plan
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_scores_outside_the_rubric_are_refused(mentor, trainee, api_as):
    Assignment.objects.create(
        plan=make_plan(), trainee=trainee, mentor=mentor, start_date=timezone.localdate()
    )
    card = RolePlayCard.objects.create(
        title="A doubled invoice",
        situation="The invoice doubled overnight.",
        rubric=[
            {"criterion": "Acknowledges the problem", "points": 1},
            {"criterion": "Explains the billing period", "points": 2},
        ],
    )
    client = client_for(mentor)
    url = f"/academy/roleplays/{card.pk}/runs/"
    too_high = client.post(url, {"trainee": trainee.pk, "score_0": 1, "score_1": 3})
    assert too_high.status_code == 200
    assert "Ensure this value is less than or equal to 2." in too_high.content.decode()
    negative = client.post(url, {"trainee": trainee.pk, "score_0": -1, "score_1": 2})
    assert "Ensure this value is greater than or equal to 0." in negative.content.decode()
    missing = client.post(url, {"trainee": trainee.pk, "score_0": 1})
    assert "This field is required." in missing.content.decode()

    api = api_as(mentor)
    run_url = f"/academy/roleplays/{card.pk}/runs"
    answer = api.post(run_url, {"trainee": trainee.pk, "scores": [1, 3]})
    assert answer.status_code == 422
    assert answer.json()["detail"] == [
        {
            "loc": ["body", "scores"],
            "msg": "“Explains the billing period”: give a whole number from 0 to 2.",
            "type": "value_error",
        }
    ]
    assert api.post(run_url, {"trainee": trainee.pk, "scores": [1]}).status_code == 422
    assert api.post(run_url, {"trainee": trainee.pk, "scores": [-1, 0]}).status_code == 422
    assert api.post(run_url, {"trainee": trainee.pk, "scores": [1, 1.5]}).status_code == 422
    assert RolePlay.objects.count() == 0

    graded = api.post(run_url, {"trainee": trainee.pk, "scores": [1, 2], "notes": "Clear."})
    assert graded.status_code == 201
    assert (graded.json()["score"], graded.json()["max_score"]) == (3, 3)
    assert graded.json()["rubric_scores"] == [1, 2]
    assert RolePlay.objects.count() == 1
