"""Item analysis of quizzes and exams: how hard each question is, whether it
tells strong takers from weak ones, how reliable the whole test is, and
whether a question looks leaked.

Pure functions over plain data; the caller loads the first attempt of each
taker and passes it in. Nothing here touches the database, so the formulas
below are the whole story and can be cited in the user docs as written.

Conventions used throughout:

* A taker's *score fraction* on an item is ``score / max_score`` (0..1).
* A taker's *percent score* is ``100 * sum(score) / sum(max_score)`` over
  the items in their response.
* Variances are *sample* variances (divided by n - 1), the usual choice for
  Cronbach's alpha. Alpha is a ratio of variances, so the n / (n - 1) factor
  cancels and population variances would give exactly the same alpha.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# Below about 30 takers a facility or correlation moves by several points
# when one taker answers differently, so the UI marks such figures as
# provisional rather than hiding them.
LOW_CONFIDENCE_TAKERS = 30

# A leak shows as a question getting steadily easier cohort after cohort.
# Three cohorts is the fewest that makes a trend rather than a single jump.
RISING_MIN_COHORTS = 3
# A cohort of fewer takers has a facility too noisy to count as a step in
# the trend (one taker moves it by more than 10 points), so it is skipped.
# With 5, the demo's honest questions were flagged by chance alone.
RISING_MIN_COHORT_TAKERS = 10
# Real trends wobble; a dip of up to two points between cohorts is noise,
# not a break in the rise.
RISING_MAX_DIP = 0.02
# Twenty points of facility gained between the first and last cohort is
# more than changes in teaching usually explain for a single question.
RISING_MIN_GAIN = 0.20
# A question most takers already got right can only climb to the ceiling;
# from there chance alone makes the twenty points (the demo's easy true/false
# questions went .80 -> .91 -> 1.00 with nothing leaked).
RISING_MAX_START = 0.80

# Facilities and percents are floats built from float scores, so a figure
# meant to be exactly 0.20 or 30 can come out a hair off (0.7 - 0.5 is
# 0.19999999999999996). Comparisons at the thresholds and bin edges allow
# this much slack so the documented edges hold.
_TOLERANCE = 1e-9
_PERCENT_DECIMALS = 6

DISTRIBUTION_BINS = 10

# What alpha sums over: ("item", item id) or ("slot", slot key).
_Part = tuple[str, int | str]


@dataclass(frozen=True)
class ItemScore:
    """One taker's result on one item.

    ``choices`` holds the ids of the options the taker picked, for choice
    questions; it is empty for other kinds.
    """

    score: float
    max_score: float
    choices: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        # Every formula divides by max_score and assumes 0 <= fraction <= 1;
        # bad data fails here, loudly, instead of as a skewed statistic.
        if not (math.isfinite(self.max_score) and self.max_score > 0):
            raise ValueError(f"max_score must be a positive number, got {self.max_score!r}")
        if not (math.isfinite(self.score) and 0 <= self.score <= self.max_score):
            raise ValueError(
                f"score must be between 0 and max_score ({self.max_score!r}), got {self.score!r}"
            )

    @property
    def fraction(self) -> float:
        return self.score / self.max_score


@dataclass(frozen=True)
class Response:
    """The first attempt of one taker: their result on each item, by item id."""

    taker: int
    items: Mapping[int, ItemScore]


@dataclass(frozen=True)
class ItemStats:
    item_id: int
    takers: int
    facility: float | None
    discrimination: float | None
    distractors: dict[int, int]
    low_confidence: bool
    likely_wrong_key: bool


@dataclass(frozen=True)
class ExamStats:
    takers: int
    alpha: float | None
    # How many takers had every item (or slot) and so counted for alpha.
    alpha_takers: int
    mean: float | None
    median: float | None
    stdev: float | None
    # Counts of percent scores: index i holds [10*i, 10*i + 10), except the
    # last bin, which holds [90, 100] so that a perfect score has a bin.
    distribution: tuple[int, ...]
    low_confidence: bool


def item_statistics(
    responses: Sequence[Response], item_id: int, choice_ids: Iterable[int] = ()
) -> ItemStats:
    """Statistics of one item over the first attempts of its takers.

    * ``takers`` (n): the takers whose response includes the item.
    * ``facility``: the mean score fraction, ``sum(score / max_score) / n``;
      0 means nobody scored, 1 means everybody got full marks. None when n = 0.
    * ``discrimination``: the corrected item-total correlation, Pearson's r
      between the item's score fraction x and the *rest score* y, where
      ``y = (total score - item score) / (total max - item max)``, that is
      the taker's score fraction on the other items they answered. Leaving
      the item out of the total keeps it from correlating with itself.
      Takers who answered no other item have no rest score and are left out
      of the correlation. None when fewer than 3 takers remain, or when x or
      y does not vary (r is undefined then).
    * ``distractors``: for each option id, how many takers picked it. Every
      id in ``choice_ids`` is present, with 0 if nobody picked it; an option
      picked but not listed (for example since deleted) is counted too.
    * ``low_confidence``: n < LOW_CONFIDENCE_TAKERS.
    * ``likely_wrong_key``: discrimination < 0, that is, takers who do
      better on the rest of the test tend to do worse on this item, which is
      what a wrong answer key looks like.
    """
    _check_one_response_per_taker(responses)
    fractions: list[float] = []
    rest_fractions: list[float] = []
    item_fractions_with_rest: list[float] = []
    distractors: dict[int, int] = dict.fromkeys(choice_ids, 0)
    for response in responses:
        item = response.items.get(item_id)
        if item is None:
            continue
        fractions.append(item.fraction)
        # A taker counts once per option even if the option id is repeated.
        for choice in sorted(set(item.choices)):
            distractors[choice] = distractors.get(choice, 0) + 1
        others = [score for other_id, score in response.items.items() if other_id != item_id]
        if others:
            rest_score = math.fsum(other.score for other in others)
            rest_max = math.fsum(other.max_score for other in others)
            item_fractions_with_rest.append(item.fraction)
            rest_fractions.append(rest_score / rest_max)

    takers = len(fractions)
    discrimination = _pearson(item_fractions_with_rest, rest_fractions)
    return ItemStats(
        item_id=item_id,
        takers=takers,
        facility=statistics.fmean(fractions) if fractions else None,
        discrimination=discrimination,
        distractors=distractors,
        low_confidence=takers < LOW_CONFIDENCE_TAKERS,
        likely_wrong_key=discrimination is not None and discrimination < 0,
    )


def exam_statistics(
    responses: Sequence[Response], slots: Mapping[int, str] | None = None
) -> ExamStats:
    """Statistics of a whole quiz or exam over the first attempts of its takers.

    * ``takers``: responses with at least one item (an empty response has no
      percent score and is left out of everything).
    * ``mean``, ``median``: of the percent scores,
      ``100 * sum(score) / sum(max_score)``. None when there are no takers.
    * ``stdev``: sample standard deviation of the percent scores (divided by
      n - 1). None with fewer than 2 takers.
    * ``distribution``: counts of percent scores in ten bins, 0-9.99,
      10-19.99, ..., 80-89.99 and 90-100 (a perfect score is in the last).
      Percents are rounded to 6 decimals before binning so that a score that
      is 30% on paper but 29.999999999999996 in floating point lands in the
      30-39 bin.
    * ``alpha``: Cronbach's alpha over k parts (items or slots),
      ``k / (k - 1) * (1 - sum(var(part)) / var(total))``, where var is the
      sample variance across takers and total is the sum of a taker's part
      scores. Only takers who have every part count (``alpha_takers``).
      None when k < 2, fewer than 3 takers have every part, or the total
      does not vary.

      Fixed quiz (``slots`` is None): the parts are the items, scored in
      points, so alpha is the reliability of the total as the quiz weighs it.

      Drawn exam (each taker got different questions by a blueprint): pass
      ``slots``, mapping each item id to its slot key (e.g.
      ``"product/easy/1"``). Items in the same slot are parallel by design,
      so the parts are the slots: a taker's slot score is the score
      fraction of the item they got in that slot (fractions, since parallel
      items need not carry the same points). An item missing from ``slots``
      is a slot of its own. A response with two items in the same slot
      breaks the blueprint and raises ValueError.
    * ``low_confidence``: takers < LOW_CONFIDENCE_TAKERS.
    """
    _check_one_response_per_taker(responses)
    answered = [response for response in responses if response.items]
    percents = [_percent(response) for response in answered]
    distribution = [0] * DISTRIBUTION_BINS
    for percent in percents:
        bin_index = int(round(percent, _PERCENT_DECIMALS) // 10)
        distribution[min(max(bin_index, 0), DISTRIBUTION_BINS - 1)] += 1

    parts = [_part_scores(response, slots) for response in answered]
    alpha, alpha_takers = _cronbach_alpha(parts)
    return ExamStats(
        takers=len(answered),
        alpha=alpha,
        alpha_takers=alpha_takers,
        mean=statistics.fmean(percents) if percents else None,
        median=statistics.median(percents) if percents else None,
        stdev=statistics.stdev(percents) if len(percents) >= 2 else None,
        distribution=tuple(distribution),
        low_confidence=len(answered) < LOW_CONFIDENCE_TAKERS,
    )


def rising_facility(cohorts: Sequence[tuple[str, int, float]]) -> bool:
    """Whether an item's facility rises across cohorts the way a leaked
    question's does ("possibly leaked").

    ``cohorts`` are ``(label, takers, facility)`` in time order. Cohorts with
    fewer than RISING_MIN_COHORT_TAKERS (10) takers are ignored. The item is
    possibly leaked when, over the remaining cohorts:

    * there are at least RISING_MIN_COHORTS (3) of them,
    * facility never falls from one cohort to the next by more than
      RISING_MAX_DIP (0.02), and
    * the last cohort's facility exceeds the first's by at least
      RISING_MIN_GAIN (0.20), and
    * the first cohort's facility is below RISING_MAX_START (0.80).
    """
    facilities = [
        facility for _label, takers, facility in cohorts if takers >= RISING_MIN_COHORT_TAKERS
    ]
    if len(facilities) < RISING_MIN_COHORTS:
        return False
    if facilities[0] >= RISING_MAX_START - _TOLERANCE:
        return False
    for earlier, later in itertools.pairwise(facilities):
        if earlier - later > RISING_MAX_DIP + _TOLERANCE:
            return False
    return facilities[-1] - facilities[0] >= RISING_MIN_GAIN - _TOLERANCE


def _check_one_response_per_taker(responses: Sequence[Response]) -> None:
    # The statistics assume one (first) attempt per taker; a second attempt
    # would count a taker twice and reward practice on the same questions.
    seen: set[int] = set()
    for response in responses:
        if response.taker in seen:
            raise ValueError(f"taker {response.taker} has more than one response")
        seen.add(response.taker)


def _percent(response: Response) -> float:
    scores = response.items.values()
    return (
        100
        * math.fsum(item.score for item in scores)
        / math.fsum(item.max_score for item in scores)
    )


def _part_scores(response: Response, slots: Mapping[int, str] | None) -> dict[_Part, float]:
    """A taker's score on each part alpha is computed over: points per item
    for a fixed quiz, score fraction per slot for a drawn exam."""
    if slots is None:
        return {("item", item_id): item.score for item_id, item in response.items.items()}
    parts: dict[_Part, float] = {}
    for item_id, item in response.items.items():
        if item_id not in slots:
            parts[("item", item_id)] = item.fraction
            continue
        # Tagged keys, so a slot named like an item id cannot collide with
        # an item that has no slot.
        slot: _Part = ("slot", slots[item_id])
        if slot in parts:
            raise ValueError(f"taker {response.taker} has two items in slot {slots[item_id]!r}")
        parts[slot] = item.fraction
    return parts


def _cronbach_alpha(parts_per_taker: Sequence[Mapping[_Part, float]]) -> tuple[float | None, int]:
    """Cronbach's alpha over the takers that have every part, and how many
    takers that was."""
    all_parts: set[_Part] = set()
    for parts in parts_per_taker:
        all_parts.update(parts)
    complete = [parts for parts in parts_per_taker if all_parts <= parts.keys()]
    k = len(all_parts)
    if k < 2 or len(complete) < 3:
        return None, len(complete)
    part_variances = [
        statistics.variance([parts[part] for parts in complete]) for part in all_parts
    ]
    total_variance = statistics.variance([math.fsum(parts.values()) for parts in complete])
    if total_variance == 0:
        return None, len(complete)
    return k / (k - 1) * (1 - math.fsum(part_variances) / total_variance), len(complete)


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) < 3:
        return None
    # statistics.variance sums exactly (as fractions), so a constant column
    # gives exactly 0; statistics.correlation alone could see float noise
    # in a constant column and return a meaningless r instead of failing.
    if statistics.variance(xs) == 0 or statistics.variance(ys) == 0:
        return None
    return statistics.correlation(xs, ys)
