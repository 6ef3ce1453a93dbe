"""Results over the API: one's own, a mentor's mentees', a manager's all;
a review is disclosed at the caller's level."""

import json
from datetime import date

import pytest

from carebase.academy.actions import GivenAnswer, do_start_attempt, do_submit_attempt
from carebase.academy.models import Assignment, QuestionKind
from carebase.academy.tests.academy_helpers import make_plan, make_question, make_quiz, make_section
from carebase.core.roles import Role
from carebase.testing import make_user

pytestmark = pytest.mark.django_db


def _graded(user, review_shows="marks"):
    section = make_section()
    question = make_question(section, QuestionKind.SINGLE, "Which plan?", explanation="EXPLAINED-1")
    quiz = make_quiz([question], review_shows=review_shows, title=f"Quiz of {user.username}")
    right = question.choices.get(is_correct=True)
    attempt = do_start_attempt(quiz, user)
    return do_submit_attempt(attempt, {question.pk: GivenAnswer(chosen=[right.pk])})


def test_a_trainee_lists_only_their_own_results(api_as, trainee, agent):
    mine = _graded(trainee)
    _graded(agent)
    items = api_as(trainee).get("/academy/attempts").json()["items"]
    assert [item["id"] for item in items] == [mine.pk]
    assert items[0]["percent"] == "100.0" and items[0]["passed"] is True


def test_another_persons_result_is_not_found(api_as, trainee, agent):
    theirs = _graded(agent)
    assert api_as(trainee).get(f"/academy/attempts/{theirs.pk}").status_code == 404


def test_a_mentor_sees_their_mentees_results_with_keys_and_nobody_elses(
    api_as, mentor, trainee, agent
):
    Assignment.objects.create(
        plan=make_plan(), trainee=trainee, mentor=mentor, start_date=date(2026, 12, 1)
    )
    mentees = _graded(trainee)
    other = _graded(agent)
    ids = [item["id"] for item in api_as(mentor).get("/academy/attempts").json()["items"]]
    assert ids == [mentees.pk]
    detail = api_as(mentor).get(f"/academy/attempts/{mentees.pk}").json()
    assert detail["review_level"] == "grader"
    assert "EXPLAINED-1" in json.dumps(detail)
    assert api_as(mentor).get(f"/academy/attempts/{other.pk}").status_code == 404


def test_the_taker_reads_their_review_at_the_quizs_level(api_as, trainee):
    attempt = _graded(trainee, review_shows="marks")
    detail = api_as(trainee).get(f"/academy/attempts/{attempt.pk}").json()
    assert detail["review_level"] == "marks"
    assert detail["review"][0]["correct"] is True
    assert all(option["correct"] is None for option in detail["review"][0]["options"])
    assert "EXPLAINED-1" not in json.dumps(detail)


def test_a_score_only_review_lists_no_questions(api_as, trainee):
    attempt = _graded(trainee, review_shows="score")
    detail = api_as(trainee).get(f"/academy/attempts/{attempt.pk}").json()
    assert detail["review"] == [] and detail["percent"] == "100.0"


def test_an_open_attempt_discloses_nothing_even_to_its_grader(api_as, head_of_support, trainee):
    section = make_section()
    question = make_question(section, QuestionKind.SINGLE, "Open one", explanation="EXPLAINED-2")
    attempt = do_start_attempt(make_quiz([question]), trainee)
    detail = api_as(head_of_support).get(f"/academy/attempts/{attempt.pk}").json()
    assert detail["review"] == [] and detail["score"] is None


def test_a_manager_lists_everyones_results(api_as, head_of_support, trainee, agent):
    _graded(trainee)
    _graded(agent)
    assert len(api_as(head_of_support).get("/academy/attempts").json()["items"]) == 2
    outsider = make_user("nobody", Role.SALES)
    assert api_as(outsider).get("/academy/attempts").json()["items"] == []
