"""A question is worth 1 to 100 points (a rubric row 1 to 20, 100 in all),
so that every score fits its columns; a question edited during an attempt
is scored out of the points the attempt started with."""

import pytest

from carebase.academy.actions import GivenAnswer, do_start_attempt, do_submit_attempt
from carebase.academy.models import Question, QuestionKind
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

FORMSET = {
    "choices-INITIAL_FORMS": "0",
    "choices-MIN_NUM_FORMS": "0",
    "choices-MAX_NUM_FORMS": "20",
}


def test_20000_points_are_refused(head_of_support):
    section = make_section()
    response = client_for(head_of_support).post(
        "/academy/questions/new/",
        {
            "section": section.pk, "language": "pl", "kind": "single", "difficulty": "medium",
            "text": "Which?", "points": "20000", "scoring": "partial",
            "choices-TOTAL_FORMS": "2", **FORMSET,
            "choices-0-text": "A", "choices-0-is_correct": "on", "choices-1-text": "B",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert not Question.objects.exists()


def test_a_rubric_worth_more_than_100_points_is_refused(head_of_support):
    section = make_section()
    response = client_for(head_of_support).post(
        "/academy/questions/new/",
        {
            "section": section.pk, "language": "pl", "kind": "scenario", "difficulty": "medium",
            "text": "What do you do?", "scoring": "partial",
            "rubric_text": "99999 | Apologises\n99999 | Names the next step",
            "choices-TOTAL_FORMS": "0", **FORMSET,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert not Question.objects.exists()


def test_points_changed_during_an_attempt_do_not_raise_its_score(trainee):
    question = make_question(make_section(), QuestionKind.SINGLE, "Which?", points=1)
    attempt = do_start_attempt(make_quiz([question]), trainee)
    Question.objects.filter(pk=question.pk).update(points=5)  # edited meanwhile
    right = question.choices.get(is_correct=True)
    done = do_submit_attempt(attempt, {question.pk: GivenAnswer(chosen=[right.pk])})
    assert done.max_score == 1 and done.score == 1 and done.percent == 100
