"""The academy's home gives each person their own: quizzes to take by
section, their attempts with results, refreshers to do (done once the
refresher is submitted) and, for a mentor, how many attempts wait for their
grading; the staff home page's panel says the same in short."""

from datetime import date

import pytest

from carebase.academy.models import QuestionKind, Quiz, QuizKind, QuizQuestion, Refresher
from carebase.academy.tests.academy_helpers import (
    make_assignment,
    make_mixed_quiz,
    make_question,
    make_quiz,
    make_section,
    submit_scenarios_for_grading,
)
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _refresher_for(user):
    question = make_question(make_section("calls"), QuestionKind.TRUE_FALSE, "New rule?")
    quiz = Quiz.objects.create(
        kind=QuizKind.REFRESHER, title="Refresher: recordings (version 3)", published=True
    )
    QuizQuestion.objects.create(quiz=quiz, question=question)
    return Refresher.objects.create(user=user, quiz=quiz)


def test_home_lists_what_is_mine_and_marks_a_refresher_done(trainee, mentor, agent):
    make_assignment(trainee, mentor, date(2025, 3, 3))
    product = make_quiz(
        [make_question(make_section("product"), QuestionKind.SINGLE)], title="Product basics"
    )
    make_quiz([], title="A draft", published=False)
    refresher = _refresher_for(trainee)
    client = client_for(trainee)

    home = client.get("/academy/").content.decode()
    assert "Product basics" in home and "A draft" not in home
    assert 'id="refreshers"' in home and "Refresher: recordings (version 3)" in home
    assert "/academy/my-plan/" in home
    assert "Refresher: recordings" not in client_for(agent).get("/academy/").content.decode()
    panel = client.get("/").content.decode()
    assert 'id="academy-panel"' in panel and "To do: Refresher: recordings" in panel

    url = client.post(f"/academy/quizzes/{refresher.quiz_id}/start/")["Location"]
    client.post(f"{url}submit/")
    refresher.refresh_from_db()
    assert refresher.done_at is not None
    home = client.get("/academy/").content.decode()
    assert 'id="refreshers"' not in home
    assert f'data-attempt="{refresher.quiz.attempts.get().pk}"' in home
    assert product.title in home


def test_a_mentor_sees_how_many_attempts_wait_for_grading(trainee, mentor):
    make_assignment(trainee, mentor, date(2025, 3, 3))
    quiz = make_mixed_quiz()
    client = client_for(trainee)
    submit_scenarios_for_grading(client, quiz, rationale="It calms.")
    home = client_for(mentor).get("/academy/").content.decode()
    assert "1 attempt has scenario answers to grade" in home
    panel = client_for(mentor).get("/").content.decode()
    assert "1 attempt waits for your grading" in panel
    assert "waits for your grading" not in client.get("/").content.decode()
