"""A quiz item is ticked off by itself when the trainee passes the quiz (the
attempt graded as passed), never by a click, and not by a failed attempt."""

from datetime import date

import pytest

from carebase.academy.actions import GivenAnswer, do_start_attempt, do_submit_attempt
from carebase.academy.models import Choice, Plan, PlanItem
from carebase.academy.tests.academy_helpers import (
    make_assignment,
    make_question,
    make_quiz,
    make_section,
)
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _take(quiz, question, trainee, *, right, capture):
    choice = Choice.objects.filter(question=question, is_correct=right).first()
    attempt = do_start_attempt(quiz, trainee)
    with capture(execute=True):  # the item is ticked off once the grade is committed
        return do_submit_attempt(attempt, {question.pk: GivenAnswer(chosen=[choice.pk])})


def test_passing_the_quiz_ticks_off_the_item_and_failing_it_does_not(
    mentor, trainee, django_capture_on_commit_callbacks
):
    question = make_question(make_section(), text="Where are recordings kept?")
    quiz = make_quiz([question], title="Recordings")
    plan = Plan.objects.create(title="Quiz day")
    PlanItem.objects.create(plan=plan, day=1, kind="quiz", title="Recordings quiz", quiz=quiz)
    PlanItem.objects.create(plan=plan, day=1, kind="task", title="Configure a project")
    assignment = make_assignment(trainee, mentor, date(2026, 11, 9), plan)
    item = assignment.items.get(kind="quiz")

    clicked = client_for(trainee).post(f"/academy/assignment-items/{item.pk}/done/", follow=True)
    assert "ticked off by itself when you pass it" in clicked.content.decode()
    item.refresh_from_db()
    assert item.done_at is None

    failed = _take(quiz, question, trainee, right=False, capture=django_capture_on_commit_callbacks)
    assert failed.passed is False
    item.refresh_from_db()
    assert item.done_at is None

    passed = _take(quiz, question, trainee, right=True, capture=django_capture_on_commit_callbacks)
    assert passed.passed is True
    item.refresh_from_db()
    assert item.done_at is not None
    assignment.refresh_from_db()
    assert assignment.finished_at is None  # the task is still to do


def test_another_trainee_passing_the_quiz_ticks_off_nothing_of_mine(
    mentor, trainee, agent, django_capture_on_commit_callbacks
):
    question = make_question(make_section(), text="Where are recordings kept?")
    quiz = make_quiz([question], title="Recordings")
    plan = Plan.objects.create(title="Quiz day")
    PlanItem.objects.create(plan=plan, day=1, kind="quiz", title="Recordings quiz", quiz=quiz)
    assignment = make_assignment(trainee, mentor, date(2026, 11, 9), plan)
    _take(quiz, question, agent, right=True, capture=django_capture_on_commit_callbacks)
    assert assignment.items.get().done_at is None
