"""A question anyone has answered outside the exam cannot join the
certification pool, even once it is taken out of its quiz: its takers saw
it, and with the answers review, its key."""

import pytest

from carebase.academy.actions import do_start_attempt, do_submit_attempt
from carebase.academy.models import Question, QuestionKind, QuizQuestion
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section

pytestmark = pytest.mark.django_db


def test_an_answered_question_stays_out_of_the_pool(api_as, head_of_support, trainee):
    question = make_question(make_section(), QuestionKind.SINGLE, "Seen with its key")
    quiz = make_quiz([question], review_shows="answers")
    do_submit_attempt(do_start_attempt(quiz, trainee), {})
    QuizQuestion.objects.filter(quiz=quiz).delete()
    response = api_as(head_of_support).patch(f"/academy/questions/{question.pk}", {"in_pool": True})
    assert response.status_code == 422
    assert not Question.objects.get(pk=question.pk).in_pool
