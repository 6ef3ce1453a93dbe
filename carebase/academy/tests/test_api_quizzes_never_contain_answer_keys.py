"""The stable interface: GET /academy/quizzes and /academy/quizzes/{id}
never hold a key, for anyone; those who take a quiz get no questions."""

import json

import pytest

from carebase.academy.models import QuestionKind
from carebase.academy.tests.academy_helpers import (
    make_certification,
    make_question,
    make_quiz,
    make_section,
)

pytestmark = pytest.mark.django_db

SECRET_EXPLANATION = "EXPLANATION-7f3a"
SECRET_ANSWER = "ACCEPTED-91bc"
SECRET_CRITERION = "CRITERION-55de"
SECRET_OPTION = "RIGHT-OPTION-c0ff"


def _quiz():
    section = make_section()
    questions = [
        make_question(
            section,
            QuestionKind.SINGLE,
            "Q single",
            choices=[(SECRET_OPTION, True), ("No", False)],
            explanation=SECRET_EXPLANATION,
        ),
        make_question(section, QuestionKind.SHORT, "Q short", accepted=[SECRET_ANSWER]),
        make_question(
            section,
            QuestionKind.SCENARIO,
            "Q scenario",
            rubric=[{"criterion": SECRET_CRITERION, "points": 2}],
        ),
    ]
    return make_quiz(questions, time_limit_minutes=15)


def _assert_no_keys(body: str) -> None:
    for secret in (SECRET_EXPLANATION, SECRET_ANSWER, SECRET_CRITERION, SECRET_OPTION):
        assert secret not in body
    assert "is_correct" not in body
    assert "accepted" not in body.replace("accepted_answers", "")  # no key field of any name


@pytest.mark.parametrize("persona", ["trainee", "agent", "mentor", "head_of_support"])
def test_no_caller_receives_a_key(request, api_as, persona):
    quiz = _quiz()
    user = request.getfixturevalue(persona)
    listing = api_as(user).get("/academy/quizzes")
    detail = api_as(user).get(f"/academy/quizzes/{quiz.pk}")
    assert listing.status_code == 200 and detail.status_code == 200
    _assert_no_keys(json.dumps(listing.json()))
    _assert_no_keys(json.dumps(detail.json()))
    assert listing.json()["items"][0]["question_count"] == 3


def test_takers_get_no_questions_managers_get_them_without_keys(api_as, trainee, head_of_support):
    quiz = _quiz()
    assert api_as(trainee).get(f"/academy/quizzes/{quiz.pk}").json()["questions"] is None
    questions = api_as(head_of_support).get(f"/academy/quizzes/{quiz.pk}").json()["questions"]
    assert [question["text"] for question in questions] == ["Q single", "Q short", "Q scenario"]
    assert set(questions[0]) == {"id", "kind", "text", "points"}


def test_an_exam_shows_its_size_never_its_pool(api_as, trainee):
    exam = make_certification(per_band=2)
    body = api_as(trainee).get(f"/academy/quizzes/{exam.pk}").json()
    assert body["question_count"] == 6
    assert body["questions"] is None
    assert "pool question" not in json.dumps(body)


def test_drafts_are_hidden_from_takers(api_as, trainee, head_of_support):
    quiz = _quiz()
    quiz.published = False
    quiz.save()
    assert api_as(trainee).get(f"/academy/quizzes/{quiz.pk}").status_code == 404
    assert api_as(trainee).get("/academy/quizzes").json()["items"] == []
    assert api_as(head_of_support).get(f"/academy/quizzes/{quiz.pk}").status_code == 200


def test_customers_and_anonymous_callers_are_refused(api_as, customer):
    _quiz()
    assert api_as(customer).get("/academy/quizzes").status_code == 403
    assert api_as().get("/academy/quizzes").status_code == 401
