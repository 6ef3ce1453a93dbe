"""A quiz's limits hold at the start: once the attempts allowed are used, or
before the delay between attempts has passed, the quiz page says why instead
of offering a start, and a start request is refused with that reason."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from carebase.academy.models import Attempt, QuestionKind
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _take(client, quiz):
    response = client.post(f"/academy/quizzes/{quiz.pk}/start/")
    assert response.status_code == 302
    assert client.post(f"{response['Location']}submit/").status_code == 302


def test_the_attempts_limit_refuses_a_third_start(trainee):
    quiz = make_quiz([make_question(make_section(), QuestionKind.SINGLE)], max_attempts=2)
    client = client_for(trainee)
    _take(client, quiz)
    _take(client, quiz)
    page = client.get(f"/academy/quizzes/{quiz.pk}/").content.decode()
    assert "You have used all 2 attempts of this quiz." in page
    assert f'action="/academy/quizzes/{quiz.pk}/start/"' not in page
    refused = client.post(f"/academy/quizzes/{quiz.pk}/start/", follow=True)
    assert refused.redirect_chain == [(f"/academy/quizzes/{quiz.pk}/", 302)]
    assert "You have used all 2 attempts of this quiz." in refused.content.decode()
    assert Attempt.objects.filter(user=trainee).count() == 2


def test_the_delay_between_attempts_refuses_an_early_start(trainee):
    quiz = make_quiz([make_question(make_section(), QuestionKind.SINGLE)], attempt_delay_minutes=60)
    client = client_for(trainee)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _take(client, quiz)
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        refused = client.post(f"/academy/quizzes/{quiz.pk}/start/", follow=True)
        assert "You may try again from" in refused.content.decode()
        assert Attempt.objects.filter(user=trainee).count() == 1
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        assert "Start the quiz" in client.get(f"/academy/quizzes/{quiz.pk}/").content.decode()
        client.post(f"/academy/quizzes/{quiz.pk}/start/")
        assert Attempt.objects.filter(user=trainee).count() == 2


def test_an_open_attempt_is_resumed_not_doubled(trainee):
    quiz = make_quiz([make_question(make_section(), QuestionKind.SINGLE)], max_attempts=1)
    client = client_for(trainee)
    first = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    assert "Continue your attempt" in client.get(f"/academy/quizzes/{quiz.pk}/").content.decode()
    assert client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"] == first
    assert Attempt.objects.count() == 1
