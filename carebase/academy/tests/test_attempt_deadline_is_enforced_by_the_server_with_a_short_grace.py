"""The server keeps the clock: a submit 10 seconds after the deadline is
accepted (the page's own submit at zero, a slow network), one 31 seconds
after is refused and the attempt is closed with what was saved in time, and
answers saved after the grace are refused."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from carebase.academy.models import Answer, Attempt, QuestionKind
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    section = make_section()
    first = make_question(section, QuestionKind.SINGLE, "First?")
    second = make_question(section, QuestionKind.SINGLE, "Second?")
    return make_quiz([first, second], time_limit_minutes=10)


def _right(question):
    return question.choices.get(is_correct=True).pk


def _start(client, quiz, at):
    with time_machine.travel(at, tick=False):
        return client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]


def test_a_submit_within_the_grace_is_accepted(trainee, quiz):
    client = client_for(trainee)
    start = timezone.now()
    url = _start(client, quiz, start)
    first, second = quiz.questions.order_by("pk")
    with time_machine.travel(start + timedelta(minutes=10, seconds=10), tick=False):
        response = client.post(
            f"{url}submit/",
            {"shown": [first.pk, second.pk], f"q{first.pk}": _right(first), "timeout": "1"},
        )
    assert response.status_code == 302
    attempt = Attempt.objects.get(user=trainee)
    assert attempt.status == "graded" and attempt.percent == 50


def test_a_submit_past_the_grace_is_refused_and_what_was_saved_is_graded(trainee, quiz):
    client = client_for(trainee)
    start = timezone.now()
    url = _start(client, quiz, start)
    first, second = quiz.questions.order_by("pk")
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        saved = client.post(url, {"shown": [first.pk], f"q{first.pk}": _right(first)})
        assert saved.status_code == 302
    with time_machine.travel(start + timedelta(minutes=10, seconds=31), tick=False):
        late = client.post(
            f"{url}submit/",
            {"shown": [second.pk], f"q{second.pk}": _right(second)},
            follow=True,
        )
    assert late.status_code == 200
    assert "The time for this attempt ran out" in late.content.decode()
    attempt = Attempt.objects.get(user=trainee)
    assert attempt.status == "graded"
    assert attempt.submitted_at == attempt.deadline
    assert attempt.percent == 50  # the first answer, saved in time; not the late one
    assert Answer.objects.get(attempt=attempt, question=second).chosen == []


def test_answers_saved_after_the_grace_are_refused(trainee, quiz):
    client = client_for(trainee)
    start = timezone.now()
    url = _start(client, quiz, start)
    first, _second = quiz.questions.order_by("pk")
    with time_machine.travel(start + timedelta(minutes=10, seconds=45), tick=False):
        response = client.post(
            url, {"shown": [first.pk], f"q{first.pk}": _right(first)}, follow=True
        )
    assert "The time ran out" in response.content.decode()
    answer = Answer.objects.get(attempt__user=trainee, question=first)
    assert answer.chosen == [] and answer.answered_at is None
    assert Attempt.objects.get(user=trainee).status == "graded"
