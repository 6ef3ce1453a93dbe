"""Candidates of a certification exam each drew different pool questions:
reliability is computed over the blueprint's slots (section, difficulty,
order), so a taker's first product/easy question and another taker's count
as the same part; every pool question drawn gets its own figures."""

import pytest

from carebase.academy.models import Difficulty, Question
from carebase.academy.tests.academy_helpers import make_certification, make_graded_attempt
from carebase.core.roles import Role
from carebase.testing import ApiClient, make_user

pytestmark = pytest.mark.django_db


def test_alpha_sums_over_slots_and_each_drawn_question_has_figures(head_of_support):
    exam = make_certification(
        per_band=2, sections=("product",), blueprint={Difficulty.EASY: 1, Difficulty.HARD: 1}
    )
    easy = list(Question.objects.filter(difficulty=Difficulty.EASY).order_by("pk"))
    hard = list(Question.objects.filter(difficulty=Difficulty.HARD).order_by("pk"))
    # (easy question drawn, easy mark, hard question drawn, hard mark)
    drawn = [
        (0, 1, 0, 1),
        (1, 1, 1, 1),
        (0, 1, 1, 0),
        (1, 0, 0, 0),
        (0, 0, 1, 0),
        (1, 1, 0, 1),
    ]
    for number, (e, e_mark, h, h_mark) in enumerate(drawn):
        # The hard question shown first: the slot does not depend on position
        # across bands, only on the order within a band.
        make_graded_attempt(
            exam,
            make_user(f"candidate{number}", Role.TRAINEE),
            (h_mark, e_mark),
            questions=(hard[h], easy[e]),
        )

    result = ApiClient(head_of_support).get(f"/academy/quizzes/{exam.pk}/analysis").json()
    # Slots: easy = 1,1,1,0,0,1 (sample variance 8/30), hard = 1,1,0,0,0,1
    # (9/30); totals 2,2,1,0,0,2 (29/30); alpha = 2 * (1 - 17/29) = 24/29.
    # Over items instead, nobody has every item and there would be no alpha.
    assert result["exam"]["alpha_takers"] == 6
    assert result["exam"]["alpha"] == pytest.approx(24 / 29)
    figures = {item["question"]: item["takers"] for item in result["items"]}
    assert figures == {easy[0].pk: 3, easy[1].pk: 3, hard[0].pk: 3, hard[1].pk: 3}
