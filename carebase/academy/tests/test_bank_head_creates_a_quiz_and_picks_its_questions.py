"""A head creates a quiz with its settings and picks its questions from the
bank; pool questions are kept for the certification exam and are not
offered (nor accepted) for a quiz."""

import pytest

from carebase.academy.models import Quiz, QuizKind
from carebase.academy.tests.academy_helpers import make_question, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def settings(**fields):
    return {
        "kind": "quiz",
        "title": "Call tracking basics",
        "section": "",
        "language": "pl",
        "description": "",
        "time_limit_minutes": 20,
        "max_attempts": 3,
        "attempt_delay_minutes": 60,
        "shuffle": "on",
        "pass_mark": 80,
        "review_shows": "marks",
        "exposure_cap": 0,
        "valid_days": 0,
        # The blueprint's rows, left empty (a new quiz's page offers both).
        "bands-TOTAL_FORMS": 0,
        "bands-INITIAL_FORMS": 0,
        **fields,
    }


def test_a_quiz_is_created_with_the_questions_picked(head_of_support):
    section = make_section("call-tracking")
    first = make_question(section, text="What is a tracking number?")
    second = make_question(section, text="How long is a visit remembered?")
    pooled = make_question(section, text="Pool only", in_pool=True)
    client = client_for(head_of_support)
    form = client.get("/academy/manage/quizzes/new/").content.decode()
    assert "What is a tracking number?" in form and "Pool only" not in form

    answer = client.post(
        "/academy/manage/quizzes/new/",
        settings(section=section.pk, questions=[first.pk, pooled.pk]),
    )
    assert answer.status_code == 200 and not Quiz.objects.exists()

    answer = client.post(
        "/academy/manage/quizzes/new/",
        settings(section=section.pk, questions=[second.pk, first.pk]),
    )
    quiz = Quiz.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/academy/manage/quizzes/{quiz.pk}/"
    assert (quiz.kind, quiz.time_limit_minutes, quiz.max_attempts, quiz.pass_mark) == (
        QuizKind.QUIZ,
        20,
        3,
        80,
    )
    assert quiz.published is False
    assert set(quiz.questions.all()) == {first, second}
    listing = client.get("/academy/manage/quizzes/").content.decode()
    assert f'data-quiz="{quiz.pk}"' in listing and "Call tracking basics" in listing
