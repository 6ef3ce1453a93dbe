"""The scoring rules of docs/academy.md, one case each."""

from decimal import Decimal

import pytest

from carebase.academy.grading import RubricError, score_choices, score_rubric, score_short


@pytest.mark.parametrize(
    ("chosen", "earned"),
    [
        ({1, 2}, "2.00"),  # both correct options: all the points
        ({1}, "1.00"),  # one of two correct: +1/2
        ({1, 3}, "0.00"),  # +1/2 -1/2
        ({1, 2, 3}, "1.00"),  # +1/2 +1/2 -1/2
        ({3, 4}, "0.00"),  # -1/2 -1/2, floored at 0
        (set(), "0.00"),
    ],
)
def test_partial_credit_adds_and_takes_one_nth_of_the_points_floored_at_zero(chosen, earned):
    score = score_choices(
        kind="multiple", scoring="partial", points=2, correct={1, 2}, chosen=chosen
    )
    assert score == Decimal(earned)


def test_all_or_nothing_needs_exactly_the_correct_options():
    common = {"kind": "multiple", "scoring": "all_or_nothing", "points": 3, "correct": {1, 2}}
    assert score_choices(**common, chosen={1, 2}) == Decimal("3.00")
    assert score_choices(**common, chosen={1}) == Decimal("0.00")
    assert score_choices(**common, chosen={1, 2, 3}) == Decimal("0.00")


def test_single_choice_and_true_false_earn_all_or_nothing():
    assert score_choices(kind="single", scoring="partial", points=1, correct={5}, chosen={5}) == 1
    assert score_choices(kind="single", scoring="partial", points=1, correct={5}, chosen={6}) == 0
    assert (
        score_choices(kind="true_false", scoring="partial", points=1, correct={7}, chosen=()) == 0
    )


@pytest.mark.parametrize("given", ["15 minut", " 15   MINUT. ", "15 minut!"])
def test_short_answers_match_without_case_spaces_or_final_punctuation(given):
    assert score_short(points=2, accepted=["15 minut", "kwadrans"], given=given) == 2


def test_short_answers_match_without_diacritics():
    assert (
        score_short(
            points=1, accepted=["Przekierowanie warunkowe"], given="przekierowanie warunkowe"
        )
        == 1
    )
    assert score_short(points=1, accepted=["łączność"], given="LACZNOSC") == 1
    assert score_short(points=1, accepted=["15 minut"], given="") == 0
    assert score_short(points=1, accepted=["15 minut"], given="16 minut") == 0


def test_a_rubric_earns_the_questions_points_in_proportion():
    rubric = [{"criterion": "a", "points": 1}, {"criterion": "b", "points": 3}]
    assert score_rubric(points=4, rubric=rubric, scores=[1, 3]) == Decimal("4.00")
    assert score_rubric(points=2, rubric=rubric, scores=[1, 1]) == Decimal("1.00")


@pytest.mark.parametrize("scores", [[2, 0], [-1, 0], [1], [1, 1, 1], [True, 1], ["1", 1], [0.5, 1]])
def test_a_rubric_score_outside_its_criterion_is_refused(scores):
    rubric = [{"criterion": "a", "points": 1}, {"criterion": "b", "points": 3}]
    with pytest.raises(RubricError):
        score_rubric(points=4, rubric=rubric, scores=scores)
