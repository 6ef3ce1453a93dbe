"""Item analysis gives the figures one gets by hand: facility, corrected
item-total discrimination, distractor counts, Cronbach's alpha (over items
for a fixed quiz, over slots for a drawn exam), the percent distribution,
and the leak check on rising facility. The arithmetic is written out next to
each example so a reader can check the formulas cited in the user docs."""

import pytest

from carebase.academy.statistics import (
    LOW_CONFIDENCE_TAKERS,
    ItemScore,
    Response,
    exam_statistics,
    item_statistics,
    rising_facility,
)

RIGHT = ItemScore(1, 1)
WRONG = ItemScore(0, 1)

# Five takers, three one-point items (1 = right, 0 = wrong):
#
#   taker  i1 i2 i3  total  percent
#   1      1  1  1   3      100
#   2      1  1  0   2       66.67
#   3      1  0  1   2       66.67
#   4      0  1  0   1       33.33
#   5      0  0  0   0        0
FIVE_BY_THREE = [
    Response(1, {1: RIGHT, 2: RIGHT, 3: RIGHT}),
    Response(2, {1: RIGHT, 2: RIGHT, 3: WRONG}),
    Response(3, {1: RIGHT, 2: WRONG, 3: RIGHT}),
    Response(4, {1: WRONG, 2: RIGHT, 3: WRONG}),
    Response(5, {1: WRONG, 2: WRONG, 3: WRONG}),
]


def test_facility_is_the_mean_score_fraction() -> None:
    # i1: (1 + 1 + 1 + 0 + 0) / 5 = 0.6
    assert item_statistics(FIVE_BY_THREE, 1).facility == pytest.approx(0.6)
    # Partial credit counts as its fraction: (2/4 + 1/2 + 3/3) / 3 = 2/3
    partial = [
        Response(1, {7: ItemScore(2, 4)}),
        Response(2, {7: ItemScore(1, 2)}),
        Response(3, {7: ItemScore(3, 3)}),
    ]
    assert item_statistics(partial, 7).facility == pytest.approx(2 / 3)


def test_discrimination_correlates_the_item_with_the_rest_of_the_test() -> None:
    # i1 against the rest score (i2 + i3) / 2:
    #   x = 1, 1, 1, 0, 0          mean 0.6  deviations  .4  .4  .4 -.6 -.6
    #   y = 1, .5, .5, .5, 0       mean 0.5  deviations  .5   0   0   0 -.5
    #   sxy = .4*.5 + (-.6)(-.5)                  = .2 + .3  = 0.5
    #   sxx = 3 * .4^2 + 2 * .6^2                 = .48 + .72 = 1.2
    #   syy = .5^2 + .5^2                          = 0.5
    #   r = .5 / sqrt(1.2 * .5) = .5 / sqrt(.6)   = 0.6455
    stats = item_statistics(FIVE_BY_THREE, 1)
    assert stats.discrimination == pytest.approx(0.5 / 0.6**0.5)
    assert stats.discrimination == pytest.approx(0.6455, abs=1e-4)
    assert stats.likely_wrong_key is False


def test_the_rest_score_is_a_fraction_of_the_other_items_points() -> None:
    # Item 2 is worth 4 points, so rest = (score on 1 and 2) / 5, not / 2:
    #   taker  item9  rest score      y
    #   1      0      1 + 4 = 5 / 5   1.0
    #   2      1      0 + 2 = 2 / 5   0.4
    #   3      1      1 + 0 = 1 / 5   0.2
    #   x mean 2/3, deviations -2/3, 1/3, 1/3;  y mean 1.6/3, deviations
    #   .4667, -.1333, -.3333
    #   sxy = -.3111 - .0444 - .1111 = -.4667; sxx = 2/3; syy = .3467
    #   r = -.4667 / sqrt(2/3 * .3467) = -.9707
    responses = [
        Response(1, {9: WRONG, 1: RIGHT, 2: ItemScore(4, 4)}),
        Response(2, {9: RIGHT, 1: WRONG, 2: ItemScore(2, 4)}),
        Response(3, {9: RIGHT, 1: RIGHT, 2: ItemScore(0, 4)}),
    ]
    assert item_statistics(responses, 9).discrimination == pytest.approx(-0.9707, abs=1e-4)


def test_a_reversed_key_gets_negative_discrimination_and_is_flagged() -> None:
    # Item R is keyed to the wrong option: the takers who know the material
    # (right on A and B) "miss" it, the ones who do not "get" it.
    #   taker  A B  R   rest (A+B)/2
    #   1      1 1  0   1
    #   2      1 1  0   1
    #   3      0 0  1   0
    #   4      0 0  1   0
    #   5      1 0  0   .5
    #   x mean .4  deviations -.4 -.4  .6  .6 -.4
    #   y mean .5  deviations  .5  .5 -.5 -.5   0
    #   sxy = -.2 -.2 -.3 -.3 + 0 = -1.0;  sxx = 3*.16 + 2*.36 = 1.2;  syy = 1.0
    #   r = -1 / sqrt(1.2) = -0.9129
    a, b, r = 1, 2, 3
    responses = [
        Response(1, {a: RIGHT, b: RIGHT, r: WRONG}),
        Response(2, {a: RIGHT, b: RIGHT, r: WRONG}),
        Response(3, {a: WRONG, b: WRONG, r: RIGHT}),
        Response(4, {a: WRONG, b: WRONG, r: RIGHT}),
        Response(5, {a: RIGHT, b: WRONG, r: WRONG}),
    ]
    stats = item_statistics(responses, r)
    assert stats.discrimination == pytest.approx(-1 / 1.2**0.5)
    assert stats.likely_wrong_key is True


def test_distractors_count_takers_per_option_including_unpicked_ones() -> None:
    # Options 10 (key), 11, 12, 13; nobody picks 13. Taker 4 picks 11 and 12
    # (a multiple-answer question) and counts once for each; taker 5 repeats
    # 10 and still counts once. Option 99 is not listed (deleted since) but
    # was picked, so it is counted rather than dropped.
    responses = [
        Response(1, {5: ItemScore(1, 1, (10,))}),
        Response(2, {5: ItemScore(0, 1, (11,))}),
        Response(3, {5: ItemScore(0, 1, (11,))}),
        Response(4, {5: ItemScore(0, 1, (11, 12))}),
        Response(5, {5: ItemScore(1, 1, (10, 10))}),
        Response(6, {5: ItemScore(0, 1, (99,))}),
        Response(7, {6: ItemScore(0, 1, (12,))}),  # another item: not counted
    ]
    stats = item_statistics(responses, 5, choice_ids=(10, 11, 12, 13))
    assert stats.distractors == {10: 2, 11: 3, 12: 1, 13: 0, 99: 1}
    assert stats.takers == 6


def test_fewer_than_thirty_takers_are_flagged_low_confidence() -> None:
    def takers(n: int) -> list[Response]:
        return [Response(t, {1: RIGHT if t % 2 else WRONG, 2: RIGHT}) for t in range(n)]

    assert LOW_CONFIDENCE_TAKERS == 30
    assert item_statistics(takers(29), 1).low_confidence is True
    assert item_statistics(takers(30), 1).low_confidence is False
    assert exam_statistics(takers(29)).low_confidence is True
    assert exam_statistics(takers(30)).low_confidence is False


def test_zero_variance_and_too_few_takers_give_none_not_a_crash() -> None:
    everyone_right = [Response(t, {1: RIGHT, 2: RIGHT if t < 2 else WRONG}) for t in range(4)]
    stats = item_statistics(everyone_right, 1)
    assert stats.facility == 1.0
    assert stats.discrimination is None  # item 1 does not vary
    assert stats.likely_wrong_key is False

    same_rest = [Response(t, {1: RIGHT if t < 2 else WRONG, 2: RIGHT}) for t in range(4)]
    assert item_statistics(same_rest, 1).discrimination is None  # the rest does not vary

    assert item_statistics(FIVE_BY_THREE[:2], 1).discrimination is None  # n = 2 < 3

    # Every taker has the same total, 1 of 2: var(total) = 0, so no alpha.
    same_total = [Response(t, {1: RIGHT, 2: WRONG}) for t in range(3)] + [
        Response(9, {1: WRONG, 2: RIGHT})
    ]
    assert exam_statistics(same_total).alpha is None

    nobody = item_statistics([], 1, choice_ids=(10,))
    assert (nobody.takers, nobody.facility, nobody.discrimination) == (0, None, None)
    assert nobody.distractors == {10: 0}
    empty = exam_statistics([])
    assert (empty.takers, empty.alpha, empty.mean, empty.median, empty.stdev) == (
        0,
        None,
        None,
        None,
        None,
    )
    assert empty.distribution == (0,) * 10


def test_alpha_of_a_fixed_quiz_matches_the_hand_computation() -> None:
    # Item variances (sample, n - 1 = 4): a 0/1 item with facility p has
    # sum of squared deviations 5 * p * (1 - p):
    #   i1: p = .6 -> 1.2 / 4 = 0.3;  i2: p = .6 -> 0.3;  i3: p = .4 -> 0.3
    #   sum = 0.9
    # Totals 3, 2, 2, 1, 0: mean 1.6, deviations 1.4 .4 .4 -.6 -1.6,
    #   squares 1.96 + .16 + .16 + .36 + 2.56 = 5.2 -> variance 5.2 / 4 = 1.3
    # alpha = 3 / 2 * (1 - 0.9 / 1.3) = 1.5 * 0.4 / 1.3 = 6 / 13 = 0.4615
    stats = exam_statistics(FIVE_BY_THREE)
    assert stats.alpha == pytest.approx(6 / 13)
    assert stats.alpha_takers == 5
    # Percents 100, 66.67, 66.67, 33.33, 0:
    #   mean = 266.67 / 5 = 53.33;  median = 66.67
    #   stdev = 100/3 * sqrt(1.3) = 38.006 (the totals' stdev, in percent)
    assert stats.takers == 5
    assert stats.mean == pytest.approx(160 / 3)
    assert stats.median == pytest.approx(200 / 3)
    assert stats.stdev == pytest.approx(100 / 3 * 1.3**0.5)
    assert stats.distribution == (1, 0, 0, 1, 0, 0, 2, 0, 0, 1)


def test_alpha_counts_only_takers_who_answered_every_item() -> None:
    # Taker 6 skipped i3 (say it was added to the quiz later): left out, so
    # alpha is the same 6/13 as over the five complete takers.
    responses = [*FIVE_BY_THREE, Response(6, {1: RIGHT, 2: WRONG})]
    stats = exam_statistics(responses)
    assert stats.alpha == pytest.approx(6 / 13)
    assert stats.alpha_takers == 5
    assert stats.takers == 6


def test_alpha_of_a_drawn_exam_is_computed_over_slots() -> None:
    # Blueprint: slot "product/easy/1" draws item 11 (2 pts) or 12 (4 pts);
    # slot "law/hard/1" draws item 21 (1 pt) or 22 (2 pts). Slot scores are
    # fractions of the item drawn:
    #   taker  slot a          slot b          total
    #   1      11: 2/2 = 1     21: 1/1 = 1     2
    #   2      12: 4/4 = 1     22: 1/2 = .5    1.5
    #   3      11: 1/2 = .5    22: 0/2 = 0     .5
    #   4      12: 0/4 = 0     21: 0/1 = 0     0
    #   5      11: 2/2 = 1     (left early)    incomplete: not in alpha
    # Slot a: 1 1 .5 0, mean .625, squared deviations .140625 .140625
    #   .015625 .390625 = .6875 -> variance .6875 / 3
    # Slot b: 1 .5 0 0, mean .375, squared deviations .390625 .015625
    #   .140625 .140625 = .6875 -> variance .6875 / 3
    # Totals 2 1.5 .5 0, mean 1, squared deviations 1 .25 .25 1 = 2.5
    #   -> variance 2.5 / 3
    # alpha = 2 / 1 * (1 - 1.375 / 2.5) = 2 * .45 = 0.9
    slots = {11: "product/easy/1", 12: "product/easy/1", 21: "law/hard/1", 22: "law/hard/1"}
    responses = [
        Response(1, {11: ItemScore(2, 2), 21: ItemScore(1, 1)}),
        Response(2, {12: ItemScore(4, 4), 22: ItemScore(1, 2)}),
        Response(3, {11: ItemScore(1, 2), 22: ItemScore(0, 2)}),
        Response(4, {12: ItemScore(0, 4), 21: ItemScore(0, 1)}),
        Response(5, {11: ItemScore(2, 2)}),
    ]
    stats = exam_statistics(responses, slots=slots)
    assert stats.alpha == pytest.approx(0.9)
    assert stats.alpha_takers == 4

    # Read as a fixed quiz, nobody answered all four items: no alpha.
    assert exam_statistics(responses).alpha is None

    with pytest.raises(ValueError, match="two items in slot"):
        exam_statistics([Response(1, {11: ItemScore(2, 2), 12: ItemScore(4, 4)})], slots=slots)


def test_distribution_bins_put_edge_percents_in_the_right_bin() -> None:
    def scored(taker: int, score: float, max_score: float = 100) -> Response:
        return Response(taker, {1: ItemScore(score, max_score)})

    stats = exam_statistics(
        [
            scored(1, 0),  # 0      -> 0-9
            scored(2, 9.99),  # 9.99   -> 0-9
            scored(3, 10),  # 10     -> 10-19
            scored(4, 100),  # 100    -> 90-100, not an eleventh bin
            scored(5, 89.99),  # 89.99  -> 80-89
            scored(6, 90),  # 90     -> 90-100
            # 0.33 of 1.1 is 30% on paper, 29.999999999999996 in floats
            scored(7, 0.33, 1.1),  # -> 30-39
        ]
    )
    assert stats.distribution == (2, 1, 0, 1, 0, 0, 0, 0, 1, 2)


def test_rising_facility_flags_a_steady_climb_of_twenty_points() -> None:
    # .5 -> .6 -> .7: never falls, gains exactly .20 (0.7 - 0.5 is
    # 0.19999999999999996 in floats, still counts as .20).
    assert rising_facility([("Jan", 10, 0.50), ("Feb", 12, 0.60), ("Mar", 10, 0.70)])
    # A dip of exactly .02 is tolerated: .5 -> .62 -> .60 -> .72
    assert rising_facility(
        [("Jan", 10, 0.50), ("Feb", 10, 0.62), ("Mar", 10, 0.60), ("Apr", 10, 0.72)]
    )


def test_rising_facility_ignores_cohorts_under_ten_takers() -> None:
    # The 2-taker cohort at .10 would break the climb; it is ignored.
    assert rising_facility(
        [("Jan", 10, 0.50), ("tiny", 2, 0.10), ("Feb", 10, 0.60), ("Mar", 10, 0.72)]
    )
    # Only two cohorts have 10 or more takers: too few to call a trend.
    assert not rising_facility([("Jan", 10, 0.40), ("Feb", 4, 0.60), ("Mar", 10, 0.90)])


def test_rising_facility_is_false_for_a_dip_a_small_gain_or_a_flat_line() -> None:
    # Falls .05 between Feb and Mar: more than .02.
    assert not rising_facility(
        [("Jan", 10, 0.50), ("Feb", 10, 0.60), ("Mar", 10, 0.55), ("Apr", 10, 0.75)]
    )
    # Rises steadily but only .15 in all.
    assert not rising_facility([("Jan", 10, 0.50), ("Feb", 10, 0.55), ("Mar", 10, 0.65)])
    assert not rising_facility([("Jan", 10, 0.70), ("Feb", 10, 0.70), ("Mar", 10, 0.70)])
    # Starting at the ceiling's doorstep (.80): a climb to 1.00 is chance.
    assert not rising_facility([("Jan", 10, 0.80), ("Feb", 10, 0.91), ("Mar", 10, 1.00)])
    assert not rising_facility([])


def test_bad_input_fails_loudly() -> None:
    with pytest.raises(ValueError, match="max_score"):
        ItemScore(1, 0)
    with pytest.raises(ValueError, match="score must be between"):
        ItemScore(3, 2)
    with pytest.raises(ValueError, match="more than one response"):
        item_statistics([Response(1, {1: RIGHT}), Response(1, {1: WRONG})], 1)
