"""A submit past the deadline and its grace, with or without answers, is
closed at the deadline with what was saved in time: the late answers are
refused, and the next attempt's delay counts from the deadline."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from carebase.academy.actions import (
    AttemptRefused,
    GivenAnswer,
    do_save_answers,
    do_start_attempt,
    do_submit_attempt,
)
from carebase.academy.models import Attempt, QuestionKind
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(trainee):
    section = make_section()
    question = make_question(section, QuestionKind.SINGLE, "One")
    quiz = make_quiz([question], time_limit_minutes=10)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = do_start_attempt(quiz, trainee)
    return attempt, question, start


def test_an_empty_submit_hours_late_is_closed_at_the_deadline(started):
    attempt, _question, start = started
    with time_machine.travel(start + timedelta(hours=5), tick=False):
        do_submit_attempt(attempt, {})
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert attempt.submitted_at == attempt.deadline
    assert attempt.status == "graded" and attempt.score == 0


def test_late_answers_are_refused_and_the_saved_ones_count(started):
    attempt, question, start = started
    right = question.choices.get(is_correct=True)
    wrong = question.choices.filter(is_correct=False).first()
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        do_save_answers(attempt, {question.pk: GivenAnswer(chosen=[right.pk])})
    late = start + timedelta(minutes=10, seconds=31)
    with time_machine.travel(late, tick=False), pytest.raises(AttemptRefused):
        do_submit_attempt(attempt, {question.pk: GivenAnswer(chosen=[wrong.pk])})
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert attempt.status == "graded" and attempt.score == 1
    assert attempt.answers.get().chosen == [right.pk]


def test_within_the_grace_the_last_answers_are_taken(started):
    attempt, question, start = started
    right = question.choices.get(is_correct=True)
    with time_machine.travel(start + timedelta(minutes=10, seconds=20), tick=False):
        do_submit_attempt(attempt, {question.pk: GivenAnswer(chosen=[right.pk])})
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert attempt.score == 1 and attempt.submitted_at > attempt.deadline


def test_a_blank_answer_does_not_count_as_answered(started):
    attempt, question, _start = started
    do_save_answers(attempt, {question.pk: GivenAnswer()})
    assert attempt.answers.get().answered_at is None
