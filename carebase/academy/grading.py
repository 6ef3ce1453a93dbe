"""Scoring rules, one function per kind of question. Pure: they read the
question's key and the answer given and return the points earned.

- Single choice and true/false: all the points for the right option, else 0.
- Multiple choice, partial credit: with n correct options, each correct
  option picked earns +1/n of the points and each wrong option picked costs
  1/n, floored at 0. Picking everything therefore earns nothing more than
  the correct options are worth minus the wrong ones.
- Multiple choice, all or nothing: the points only for exactly the correct
  options.
- Short answer: the points when the answer matches one of the accepted
  answers, compared without case, diacritics, surrounding spaces, repeated
  spaces or final punctuation ("15 minut." matches "15 MINUT").
- Scenario: graded by a mentor against the rubric; each criterion gets 0 to
  its points, and the question earns its points in the same proportion.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from carebase.academy.models import QuestionKind, Scoring

TWO_PLACES = Decimal("0.01")


def _points(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def normalise_short_answer(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = plain.casefold().split()
    return " ".join(words).strip(" .,;:!?")


def score_choices(
    *,
    kind: str,
    scoring: str,
    points: Decimal | int,
    correct: Iterable[int],
    chosen: Iterable[int],
) -> Decimal:
    right = set(correct)
    picked = set(chosen)
    full = Decimal(points)
    if kind != QuestionKind.MULTIPLE:
        return _points(full) if picked and picked == right else _points(Decimal(0))
    if scoring == Scoring.ALL_OR_NOTHING or not right:
        return _points(full) if picked == right else _points(Decimal(0))
    hits = len(picked & right)
    misses = len(picked - right)
    earned = full * Decimal(hits - misses) / Decimal(len(right))
    return _points(max(Decimal(0), earned))


def score_short(*, points: Decimal | int, accepted: Sequence[str], given: str) -> Decimal:
    answer = normalise_short_answer(given)
    if answer and answer in {normalise_short_answer(form) for form in accepted}:
        return _points(Decimal(points))
    return _points(Decimal(0))


class RubricError(ValueError):
    pass


def score_rubric(
    *, points: Decimal | int, rubric: Sequence[dict[str, Any]], scores: Sequence[Any]
) -> Decimal:
    """The points a scenario answer earns from its rubric scores, one per
    criterion, each between 0 and that criterion's points."""
    if len(scores) != len(rubric):
        raise RubricError("one score per criterion is needed")
    earned = 0
    total = 0
    for row, given in zip(rubric, scores, strict=True):
        most = int(row.get("points", 0))
        if isinstance(given, bool) or not isinstance(given, int):
            raise RubricError("scores are whole numbers")
        if not 0 <= given <= most:
            raise RubricError(f"a score is between 0 and {most}")
        earned += given
        total += most
    if total == 0:
        return _points(Decimal(0))
    return _points(Decimal(points) * Decimal(earned) / Decimal(total))
