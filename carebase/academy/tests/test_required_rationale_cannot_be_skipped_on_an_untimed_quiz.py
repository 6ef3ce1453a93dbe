"""The page's own "time is up" submit skips the required rationale only in
the last minute of a timed attempt; sent on an untimed quiz it changes
nothing and the attempt stays open."""

import pytest

from carebase.academy.models import Attempt, QuestionKind
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_a_forged_timeout_does_not_skip_the_rationale(trainee):
    question = make_question(make_section(), QuestionKind.SCENARIO, "The client shouts?")
    quiz = make_quiz([question])
    client = client_for(trainee)
    url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    client.post(
        f"{url}submit/",
        {"shown": [question.pk], f"q{question.pk}-text": "I hang up", "timeout": "1"},
    )
    attempt = Attempt.objects.get()
    assert attempt.status == "in_progress"
    assert attempt.answers.get().text == "I hang up"  # kept for when they add the why
