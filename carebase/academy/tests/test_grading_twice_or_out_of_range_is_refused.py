"""A scenario answer is graded once: grading it again is refused and the
first grade stays; scores outside 0..the criterion's points, missing or not
numbers are refused and nothing changes."""

from datetime import date

import pytest

from carebase.academy.models import Answer, Attempt, QuestionKind
from carebase.academy.tests.academy_helpers import (
    make_assignment,
    make_question,
    make_quiz,
    make_section,
    submit_scenarios_for_grading,
)
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(trainee, mentor):
    make_assignment(trainee, mentor, date(2025, 3, 3))
    section = make_section()
    first = make_question(section, QuestionKind.SCENARIO, "A client shouts?")
    second = make_question(section, QuestionKind.SCENARIO, "A client threatens to leave?")
    quiz = make_quiz([first, second])
    url = submit_scenarios_for_grading(client_for(trainee), quiz)
    return url, Answer.objects.get(question=first), Answer.objects.get(question=second)


def _grade(client, url, answer, *scores, feedback=""):
    data = {"answer": answer.pk, f"answer-{answer.pk}-feedback": feedback}
    for index, score in enumerate(scores):
        data[f"answer-{answer.pk}-score-{index}"] = score
    return client.post(f"{url}grade/", data, follow=True)


def test_out_of_range_scores_are_refused_and_change_nothing(mentor, awaiting):
    url, first, _second = awaiting
    grader = client_for(mentor)
    for scores in (("2", "1"), ("-1", "1"), ("1", "3"), ("1",), ("one", "1"), ("1.5", "1")):
        response = _grade(grader, url, first, *scores)
        assert response.status_code == 422
        assert "Give each criterion a whole number" in response.content.decode()
    first.refresh_from_db()
    assert first.points is None and first.graded_by is None and first.rubric_scores == []
    assert Attempt.objects.get().status == "awaiting"


def test_a_second_grade_of_the_same_answer_is_refused(mentor, head_of_support, awaiting):
    url, first, _second = awaiting
    assert (
        _grade(client_for(mentor), url, first, "1", "2", feedback="Full marks.").status_code == 200
    )
    again = _grade(client_for(head_of_support), url, first, "0", "0", feedback="Nothing.")
    assert "This answer has been graded." in again.content.decode()
    first.refresh_from_db()
    assert first.points == 3 and first.feedback == "Full marks." and first.graded_by == mentor
    assert Attempt.objects.get().status == "awaiting"  # the second answer still waits


def test_an_answer_of_another_attempt_is_not_found(mentor, awaiting, agent):
    url, _first, _second = awaiting
    other = make_quiz([make_question(make_section("other"), QuestionKind.SCENARIO, "Other?")])
    other_client = client_for(agent)
    other_url = other_client.post(f"/academy/quizzes/{other.pk}/start/")["Location"]
    other_client.post(f"{other_url}submit/")
    elsewhere = Answer.objects.get(question__text="Other?")
    grader = client_for(mentor)
    data = {"answer": elsewhere.pk, f"answer-{elsewhere.pk}-score-0": 1}
    assert grader.post(f"{url}grade/", data).status_code == 404
    assert grader.post(f"{url}grade/", {"answer": "x"}).status_code == 404
