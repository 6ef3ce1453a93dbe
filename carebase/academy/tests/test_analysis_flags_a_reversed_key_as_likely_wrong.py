"""A question whose key is reversed is answered "right" by the weak takers
and "wrong" by the strong ones: its discrimination is negative, the
analysis marks it as a likely wrong key, and the head's button flags it
for review with a note saying why. A sound question is left alone."""

import pytest

from carebase.academy.models import Question, QuestionStatus
from carebase.academy.tests.academy_helpers import (
    make_graded_attempt,
    make_question,
    make_quiz,
    make_section,
)
from carebase.core.models import AuditEvent
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db

TAKERS = 12


def test_a_reversed_key_shows_negative_discrimination_and_is_flagged(head_of_support):
    section = make_section()
    sound = [make_question(section, text=f"Sound question {n}") for n in range(3)]
    reversed_key = make_question(section, text="Which port does SIP use?")
    quiz = make_quiz([*sound, reversed_key])
    # Taker k is stronger as k grows: the sound questions are right from
    # k >= 3, 5, 7; the reversed one is "right" only for the weaker half.
    for k in range(TAKERS):
        marks = (int(k >= 3), int(k >= 5), int(k >= 7), int(k < TAKERS // 2))
        make_graded_attempt(quiz, make_user(f"taker{k}", Role.TRAINEE), marks)

    client = client_for(head_of_support)
    page = client.get(f"/academy/manage/quizzes/{quiz.pk}/analysis/").content.decode()
    row = page[page.index(f'data-question="{reversed_key.pk}"') :].split("</tr>")[0]
    assert 'data-flag="wrong-key"' in row
    assert 'data-figure="discrimination">-0.' in row
    for question in sound:
        sound_row = page[page.index(f'data-question="{question.pk}"') :].split("</tr>")[0]
        assert "data-flag" not in sound_row

    answer = client.post(f"/academy/manage/quizzes/{quiz.pk}/analysis/flags/")
    assert answer.status_code == 302
    reversed_key.refresh_from_db()
    assert reversed_key.status == QuestionStatus.NEEDS_REVIEW
    assert "negative discrimination" in reversed_key.status_note
    assert "key may be wrong" in reversed_key.status_note
    assert set(
        Question.objects.filter(pk__in=[question.pk for question in sound]).values_list(
            "status", flat=True
        )
    ) == {QuestionStatus.ACTIVE}
    # Applying again changes nothing: it is already waiting for review.
    client.post(f"/academy/manage/quizzes/{quiz.pk}/analysis/flags/")
    assert AuditEvent.objects.filter(kind="academy.question_flagged").count() == 1
