"""The academy's lists cost the same number of queries however many quizzes,
attempts, certificates or attempts waiting for grading there are."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebase.academy.actions import GivenAnswer, do_start_attempt, do_submit_attempt
from carebase.academy.models import QuestionKind
from carebase.academy.tests.academy_helpers import (
    make_assignment,
    make_certification,
    make_question,
    make_quiz,
    make_section,
)
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

PAGES = ("/academy/", "/academy/quizzes/", "/academy/certificates/", "/academy/grading/", "/")


def _add_work(trainee, number):
    section = make_section(f"section{number}", number)
    quiz = make_quiz(
        [
            make_question(section, QuestionKind.SINGLE, f"Q{number}"),
            make_question(section, QuestionKind.SCENARIO, f"S{number}"),
        ],
        title=f"Quiz {number}",
    )
    attempt = do_start_attempt(quiz, trainee)
    scenario = attempt.answers.get(question__kind="scenario")
    do_submit_attempt(attempt, {scenario.question_id: GivenAnswer(text="a", rationale="b")})


def _counts(client):
    counts = {}
    for page in PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        counts[page] = len(queries)
    return counts


def test_counts_do_not_grow_with_the_rows(trainee, mentor):
    make_assignment(trainee, mentor, date(2025, 3, 3))
    exam = make_certification(per_band=3, valid_days=365)
    _add_work(trainee, 1)
    client = client_for(mentor)
    client.get("/academy/")  # warm up (sessions, the first ContentType lookups)
    before = _counts(client)
    for number in range(2, 6):
        _add_work(trainee, number)
    attempt = do_start_attempt(exam, mentor)
    do_submit_attempt(
        attempt,
        {
            answer.question_id: GivenAnswer(
                chosen=[answer.question.choices.get(is_correct=True).pk]
            )
            for answer in attempt.answers.select_related("question")
        },
    )
    assert _counts(client) == before
