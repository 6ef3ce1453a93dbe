"""A mentor opens a card, plays the client and grades the run with one of
their mentees: the score is the sum of the rubric scores out of the
rubric's points, the run is listed under the card and appears on the
trainee's own results page, and a "role-play graded" event is appended.
Someone who is not their mentee cannot be chosen, on the page or over the
API."""

import pytest
from django.utils import timezone

from carebase.academy.models import Assignment, EventKind, RolePlay, RolePlayCard
from carebase.academy.tests.academy_helpers import make_plan
from carebase.core.events import events_for
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def test_a_mentor_grades_a_run_with_their_mentee(mentor, trainee, api_as):
    stranger = make_user("trainee2", Role.TRAINEE, first_name="Stranger")
    Assignment.objects.create(
        plan=make_plan(),
        trainee=stranger,
        mentor=make_user("mentor2", Role.MENTOR),
        start_date=timezone.localdate(),
    )
    Assignment.objects.create(
        plan=make_plan(), trainee=trainee, mentor=mentor, start_date=timezone.localdate()
    )
    card = RolePlayCard.objects.create(
        title="A doubled invoice",
        situation="The client says the invoice doubled overnight.",
        tricky_questions=["Will you refund me today?", "Why did nobody warn me?"],
        rubric=[
            {"criterion": "Acknowledges the problem", "points": 1},
            {"criterion": "Explains the billing period", "points": 2},
        ],
    )
    client = client_for(mentor)
    page = client.get(f"/academy/roleplays/{card.pk}/").content.decode()
    assert "The client says the invoice doubled overnight." in page
    assert "Why did nobody warn me?" in page
    assert f'<option value="{trainee.pk}">' in page
    assert f'<option value="{stranger.pk}">' not in page

    refused = client.post(
        f"/academy/roleplays/{card.pk}/runs/", {"trainee": stranger.pk, "score_0": 1, "score_1": 1}
    )
    assert "Select a valid choice." in refused.content.decode()
    api = api_as(mentor).post(
        f"/academy/roleplays/{card.pk}/runs", {"trainee": stranger.pk, "scores": [1, 1]}
    )
    assert api.status_code == 422
    assert RolePlay.objects.count() == 0

    graded = client.post(
        f"/academy/roleplays/{card.pk}/runs/",
        {"trainee": trainee.pk, "score_0": 1, "score_1": 1, "notes": "Forgot the billing date."},
        follow=True,
    )
    assert "Role-play graded: trainee1 scored 2 of 3." in graded.content.decode()
    run = RolePlay.objects.get()
    assert (run.trainee, run.mentor, run.rubric_scores, run.score, run.max_score) == (
        trainee,
        mentor,
        [1, 1],
        2,
        3,
    )
    assert [event.kind for event in events_for(run)] == [EventKind.ROLE_PLAY_GRADED]
    assert f'data-run="{run.pk}"' in graded.content.decode()

    mine = client_for(trainee).get("/academy/roleplays/mine/").content.decode()
    assert "2 / 3" in mine and "Forgot the billing date." in mine
    assert "2 / 3" not in client_for(stranger).get("/academy/roleplays/mine/").content.decode()
