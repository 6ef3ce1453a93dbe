"""Replaying the submit request (a double click, the back button, a copied
request with other answers) finds the attempt graded and changes nothing:
not its score, its answers, nor when it was graded."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from carebase.academy.models import Answer, Attempt, QuestionKind
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_a_replayed_submit_leaves_the_graded_attempt_as_it_was(trainee):
    section = make_section()
    question = make_question(section, QuestionKind.SINGLE, "Which one?")
    quiz = make_quiz([question])
    client = client_for(trainee)
    url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    wrong = question.choices.filter(is_correct=False).first()
    right = question.choices.get(is_correct=True)
    assert (
        client.post(
            f"{url}submit/", {"shown": [question.pk], f"q{question.pk}": wrong.pk}
        ).status_code
        == 302
    )
    graded = Attempt.objects.get(user=trainee)
    assert graded.status == "graded" and graded.score == 0
    answers_before = list(Answer.objects.filter(attempt=graded).values())

    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        replay = client.post(
            f"{url}submit/", {"shown": [question.pk], f"q{question.pk}": right.pk}, follow=True
        )
        saved_again = client.post(url, {"shown": [question.pk], f"q{question.pk}": right.pk})
    assert replay.status_code == 200
    assert "This attempt has already been submitted." in replay.content.decode()
    assert saved_again.status_code == 302
    after = Attempt.objects.get(pk=graded.pk)
    assert (after.score, after.percent, after.passed, after.graded_at, after.submitted_at) == (
        graded.score,
        graded.percent,
        graded.passed,
        graded.graded_at,
        graded.submitted_at,
    )
    assert list(Answer.objects.filter(attempt=graded).values()) == answers_before
