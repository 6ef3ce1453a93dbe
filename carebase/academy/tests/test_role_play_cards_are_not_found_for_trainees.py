"""Role-play cards exist only for mentors and managers: the client's tricky
questions are the exercise. A trainee (or an agent) gets 404 for the list,
a card, its editing and grading, and over the API; they see their own
results (score and notes) on their own page, without the card's situation,
tricky questions or rubric."""

import pytest

from carebase.academy.actions_mentoring import do_run_role_play
from carebase.academy.models import Assignment, RolePlay, RolePlayCard
from carebase.academy.tests.academy_helpers import make_plan
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

SITUATION = "The client says the invoice doubled overnight."
TRICKY = "Will you refund me today, yes or no?"
CRITERION = "Explains the billing period"


def test_a_trainee_never_sees_a_card_but_sees_their_result(
    mentor, head_of_support, trainee, agent, api_as
):
    from django.utils import timezone

    Assignment.objects.create(
        plan=make_plan(), trainee=trainee, mentor=mentor, start_date=timezone.localdate()
    )
    card = RolePlayCard.objects.create(
        title="A doubled invoice",
        situation=SITUATION,
        tricky_questions=[TRICKY],
        rubric=[{"criterion": CRITERION, "points": 2}],
    )
    do_run_role_play(card, trainee, mentor, [1], "Calm, but forgot the billing period.")

    urls = [
        "/academy/roleplays/",
        "/academy/roleplays/new/",
        f"/academy/roleplays/{card.pk}/",
        f"/academy/roleplays/{card.pk}/edit/",
    ]
    for person in (trainee, agent):
        client = client_for(person)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404, 404]
        posted = client.post(
            f"/academy/roleplays/{card.pk}/runs/", {"trainee": person.pk, "score_0": 2}
        )
        assert posted.status_code == 404
        assert client.post("/academy/roleplays/new/", {"title": "Mine"}).status_code == 404
        api = api_as(person)
        assert api.get("/academy/roleplays").status_code == 404
        runs = api.post(f"/academy/roleplays/{card.pk}/runs", {"trainee": person.pk, "scores": [2]})
        assert runs.status_code == 404
    assert RolePlay.objects.count() == 1

    for teacher in (mentor, head_of_support):
        assert client_for(teacher).get(f"/academy/roleplays/{card.pk}/").status_code == 200
        assert [row["id"] for row in api_as(teacher).get("/academy/roleplays").json()["items"]] == [
            card.pk
        ]

    mine = client_for(trainee).get("/academy/roleplays/mine/")
    assert mine.status_code == 200
    page = mine.content.decode()
    assert "1 / 2" in page and "Calm, but forgot the billing period." in page
    for secret in (SITUATION, TRICKY, CRITERION):
        assert secret not in page
    results = api_as(trainee).get("/academy/role-play-runs")
    assert results.status_code == 200
    body = results.content.decode()
    assert [(row["score"], row["max_score"]) for row in results.json()["items"]] == [(1, 2)]
    for secret in (SITUATION, TRICKY, CRITERION):
        assert secret not in body
