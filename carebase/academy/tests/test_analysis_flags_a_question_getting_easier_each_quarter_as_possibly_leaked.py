"""A question that gets easier cohort after cohort (calendar quarters of
submission) looks leaked: the analysis marks it "possibly leaked" with each
quarter's facility, and the head's button flags it for review saying so.
A question as hard in every quarter is left alone."""

from datetime import datetime

import pytest
from django.utils import timezone

from carebase.academy.models import QuestionStatus
from carebase.academy.tests.academy_helpers import (
    make_graded_attempt,
    make_question,
    make_quiz,
    make_section,
)
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db

# Ten takers a quarter: the suspect question is answered right by 2, 6,
# then 10 of them (facility 0.2, 0.6, 1.0); the steady one by 6 each time.
QUARTERS = {
    datetime(2025, 2, 10, 10): 2,
    datetime(2025, 5, 12, 10): 6,
    datetime(2025, 8, 11, 10): 10,
}


def test_rising_facility_across_quarters_flags_possibly_leaked(head_of_support):
    section = make_section()
    suspect = make_question(section, text="What is the SLA for a P1 ticket?")
    steady = make_question(section, text="Who resets 2FA?")
    quiz = make_quiz([suspect, steady])
    number = 0
    for moment, right in QUARTERS.items():
        submitted = timezone.make_aware(moment)
        for k in range(10):
            marks = (int(k < right), int(k < 6))
            taker = make_user(f"taker{number}", Role.TRAINEE)
            make_graded_attempt(quiz, taker, marks, submitted_at=submitted)
            number += 1

    client = client_for(head_of_support)
    html = client.get(f"/academy/manage/quizzes/{quiz.pk}/analysis/").content.decode()
    suspect_row = html[html.index(f'data-question="{suspect.pk}"') :].split("</tr>")[0]
    steady_row = html[html.index(f'data-question="{steady.pk}"') :].split("</tr>")[0]
    assert 'data-flag="leaked"' in suspect_row
    assert "2025-Q1: 0.20 (n=10)" in suspect_row and "2025-Q3: 1.00 (n=10)" in suspect_row
    assert "data-flag" not in steady_row

    client.post(f"/academy/manage/quizzes/{quiz.pk}/analysis/flags/")
    suspect.refresh_from_db()
    steady.refresh_from_db()
    assert suspect.status == QuestionStatus.NEEDS_REVIEW
    assert "possibly leaked" in suspect.status_note
    assert steady.status == QuestionStatus.ACTIVE
