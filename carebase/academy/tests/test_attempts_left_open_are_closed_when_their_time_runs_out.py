"""An attempt whose time and grace ran out is closed by the worker with the
answers saved before the deadline; later answers are refused."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from carebase.academy.actions import AttemptRefused, GivenAnswer, do_save_answers, do_start_attempt
from carebase.academy.models import Attempt, QuestionKind
from carebase.academy.tasks import close_expired_attempts
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section

pytestmark = pytest.mark.django_db


def test_the_worker_grades_what_was_saved_in_time(trainee):
    section = make_section()
    first = make_question(section, QuestionKind.SINGLE, "One")
    second = make_question(section, QuestionKind.SINGLE, "Two")
    quiz = make_quiz([first, second], time_limit_minutes=10)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = do_start_attempt(quiz, trainee)
    right = first.choices.get(is_correct=True)
    with time_machine.travel(start + timedelta(minutes=9), tick=False):
        do_save_answers(attempt, {first.pk: GivenAnswer(chosen=[right.pk])})
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        with pytest.raises(AttemptRefused):
            do_save_answers(attempt, {second.pk: GivenAnswer(chosen=[second.choices.first().pk])})
        assert close_expired_attempts.call() == 1
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert attempt.status == "graded"
    assert attempt.score == 1 and attempt.percent == 50
    assert attempt.submitted_at == attempt.deadline
    with time_machine.travel(start + timedelta(minutes=12), tick=False):
        assert close_expired_attempts.call() == 0
