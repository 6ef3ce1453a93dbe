"""An attempt whose time ran out unseen never shows "in progress": the home
page closes it before listing it, and starting the quiz again begins a new
attempt instead of reopening the old one's result."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from carebase.academy.models import Attempt, QuestionKind
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_home_closes_it_and_a_new_start_begins_afresh(trainee):
    quiz = make_quiz(
        [make_question(make_section(), QuestionKind.SINGLE, "One")], time_limit_minutes=10
    )
    client = client_for(trainee)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(f"/academy/quizzes/{quiz.pk}/start/")
    first = Attempt.objects.get()
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        client.get("/academy/")
        first.refresh_from_db()
        assert first.status == "graded" and first.submitted_at == first.deadline
        second = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    assert second != first.get_absolute_url()
    assert Attempt.objects.filter(status="in_progress").count() == 1
