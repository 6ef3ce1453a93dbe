"""An exam's attempt limit applies to each certification: recertifying
starts afresh, so a limit of two never locks a certified agent out."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carebase.academy.actions import (
    GivenAnswer,
    do_start_attempt,
    do_submit_attempt,
    refusal_to_start,
)
from carebase.academy.tests.academy_helpers import make_certification

pytestmark = pytest.mark.django_db


def _pass(quiz, user, now):
    attempt = do_start_attempt(quiz, user, now)
    answers = {
        answer.question_id: GivenAnswer(chosen=[answer.question.choices.get(is_correct=True).pk])
        for answer in attempt.answers.select_related("question")
    }
    return do_submit_attempt(attempt, answers, now)


def test_each_certification_has_its_own_attempts(agent):
    exam = make_certification(per_band=6, max_attempts=2, valid_days=365)
    now = timezone.now()
    assert _pass(exam, agent, now).passed
    recertified = now + timedelta(days=340)  # within 30 days of expiry
    assert _pass(exam, agent, recertified).passed
    lapsed = recertified + timedelta(days=400)
    assert refusal_to_start(exam, agent, lapsed) is None
    assert "valid certificate" in refusal_to_start(exam, agent, recertified + timedelta(days=1))
