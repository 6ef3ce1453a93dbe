"""Item analysis reads each taker's first attempt, once graded, and gives
the figures one computes by hand; a second attempt by the same taker, or a
first attempt not graded yet, changes nothing.

Five takers, three one-point single-choice questions (1 right, 0 wrong):

    taker  q1 q2 q3  percent
    1      1  1  1   100
    2      1  1  0    66.67
    3      1  0  1    66.67
    4      0  1  0    33.33
    5      0  0  0     0

q1: facility 3/5 = 0.6; discrimination against the rest score
(q2 + q3) / 2 = 1, .5, .5, .5, 0 is .5 / sqrt(1.2 * .5) = 0.6455.
Alpha: item variances .3 each, total variance 1.3:
3/2 * (1 - .9 / 1.3) = 0.4615. Mean 53.33%, median 66.67%.
"""

import pytest

from carebase.academy.models import AttemptStatus
from carebase.academy.tests.academy_helpers import (
    make_graded_attempt,
    make_question,
    make_quiz,
    make_section,
)
from carebase.core.roles import Role
from carebase.testing import ApiClient, client_for, make_user

pytestmark = pytest.mark.django_db

TABLE = [(1, 1, 1), (1, 1, 0), (1, 0, 1), (0, 1, 0), (0, 0, 0)]


@pytest.fixture
def quiz():
    section = make_section()
    return make_quiz([make_question(section, text=f"Question {n}") for n in (1, 2, 3)])


def test_figures_are_those_of_the_first_graded_attempts(quiz, head_of_support):
    takers = [make_user(f"taker{n}", Role.TRAINEE) for n in range(1, 6)]
    for person, marks in zip(takers, TABLE, strict=True):
        make_graded_attempt(quiz, person, marks)
    api = ApiClient(head_of_support)
    before = api.get(f"/academy/quizzes/{quiz.pk}/analysis").json()

    # The weakest taker tries again and gets everything right; a sixth has
    # submitted a first attempt that waits for grading.
    make_graded_attempt(quiz, takers[4], (1, 1, 1), number=2)
    late = make_user("late", Role.TRAINEE)
    make_graded_attempt(quiz, late, (1, 1, 1), status=AttemptStatus.AWAITING_GRADING)
    after = api.get(f"/academy/quizzes/{quiz.pk}/analysis").json()
    assert after == before

    exam = after["exam"]
    assert exam["takers"] == 5 and exam["alpha_takers"] == 5
    assert exam["alpha"] == pytest.approx(0.4615, abs=1e-4)
    assert exam["mean"] == pytest.approx(160 / 3)
    assert exam["median"] == pytest.approx(200 / 3)
    assert exam["distribution"] == [1, 0, 0, 1, 0, 0, 2, 0, 0, 1]
    assert exam["low_confidence"] is True

    first = after["items"][0]
    q1 = quiz.questions.order_by("pk").first()
    assert first["question"] == q1.pk
    assert first["takers"] == 5
    assert first["facility"] == pytest.approx(0.6)
    assert first["discrimination"] == pytest.approx(0.6455, abs=1e-4)
    right, wrong, other = q1.choices.all()
    assert [(option["id"], option["correct"], option["count"]) for option in first["options"]] == [
        (right.pk, True, 3),
        (wrong.pk, False, 2),
        (other.pk, False, 0),
    ]

    page = client_for(head_of_support).get(f"/academy/manage/quizzes/{quiz.pk}/analysis/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "0.46" in html and "53.3%" in html and "66.7%" in html
    assert "n=5, low confidence" in html
