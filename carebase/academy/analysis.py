"""Exam quality from the database: item analysis of a quiz or exam over the
first attempts of its takers, the flags it raises, and the state of the
certification pool's bands.

First attempts: for each taker, the attempt numbered 1, once graded. Later
attempts are left out: a taker who tries again has seen the questions, and
counting them twice would make every question look easier than it is.

The figures themselves are `academy.statistics` (pure functions, formulas
documented there). They are computed in Python, not by the database:
Cronbach's alpha, the corrected item-total correlation and the rising
facility over cohorts need each taker's whole response at once (the rest
score of a taker leaves out one item at a time), which SQL aggregates do
not express. So the rows are read in ONE query — one row per answer of a
first attempt, with only the columns the formulas need — and never a query
per taker or per question.

Flags (`do_apply_flags`):
- likely wrong key: negative discrimination (those who do better on the
  rest of the test do worse on this question), once at least
  WRONG_KEY_MIN_TAKERS took it;
- possibly leaked: its facility rose across cohorts (calendar quarters of
  submission) as `statistics.rising_facility` defines.
A flag asks for a person's review (status "needs review", with a note
saying why); it never changes a key or a score by itself.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from carebase.academy.actions import do_flag_question
from carebase.academy.models import (
    CHOICE_KINDS,
    Answer,
    AttemptStatus,
    Choice,
    Difficulty,
    Question,
    QuestionStatus,
    Quiz,
    QuizKind,
    Section,
)
from carebase.academy.statistics import (
    LOW_CONFIDENCE_TAKERS,
    ExamStats,
    ItemScore,
    ItemStats,
    Response,
    exam_statistics,
    item_statistics,
    rising_facility,
)

# Below ten takers a single strong taker who slipped can turn the sign of
# the correlation by chance; from ten on a negative one is worth a person's
# look. Flagging only asks for a review, so it may come before the figures
# are confident (30 takers): a wrong key found at 12 takers costs fewer
# candidates a wrong mark than one found at 30.
WRONG_KEY_MIN_TAKERS = 10

# A band of the pool should hold this many times its blueprint count of
# eligible questions: a candidate who fails twice sits a third exam of
# questions they have never seen, and candidates in a row get mostly
# different questions.
BAND_RESERVE = 3

DIFFICULTY_ORDER = {value: index for index, value in enumerate(Difficulty.values)}


@dataclass(frozen=True)
class OptionCount:
    choice_id: int
    text: str
    correct: bool
    count: int


@dataclass(frozen=True)
class Cohort:
    label: str  # "2025-Q1"
    takers: int
    facility: float | None


@dataclass(frozen=True)
class QuestionAnalysis:
    question: Question
    stats: ItemStats
    options: list[OptionCount]
    cohorts: list[Cohort]
    likely_wrong_key: bool
    possibly_leaked: bool

    @property
    def flagged(self) -> bool:
        return self.likely_wrong_key or self.possibly_leaked

    @property
    def flag_note(self) -> str:
        notes = []
        if self.likely_wrong_key:
            notes.append(
                _(
                    "Item analysis: negative discrimination (%(value).2f, %(takers)s takers): "
                    "the key may be wrong."
                )
                % {"value": self.stats.discrimination, "takers": self.stats.takers}
            )
        if self.possibly_leaked:
            notes.append(
                _("Item analysis: facility rose across cohorts (%(cohorts)s): possibly leaked.")
                % {
                    "cohorts": ", ".join(
                        f"{cohort.label} {cohort.facility:.0%}"
                        for cohort in self.cohorts
                        if cohort.facility is not None
                    )
                }
            )
        return " ".join(notes)


@dataclass(frozen=True)
class QuizAnalysis:
    quiz: Quiz
    exam: ExamStats
    questions: list[QuestionAnalysis]
    low_confidence_takers: int = LOW_CONFIDENCE_TAKERS

    @property
    def flagged(self) -> list[QuestionAnalysis]:
        return [item for item in self.questions if item.flagged]

    @property
    def to_flag(self) -> list[QuestionAnalysis]:
        """The flagged questions `do_apply_flags` would flag now."""
        return [item for item in self.flagged if item.question.status == QuestionStatus.ACTIVE]

    @property
    def distribution(self) -> list[dict[str, Any]]:
        """The score distribution as bars: label, count and height (% of the
        tallest bar), for a chart drawn in plain HTML."""
        tallest = max(self.exam.distribution, default=0) or 1
        last = len(self.exam.distribution) - 1
        return [
            {
                "label": f"{index * 10}-{100 if index == last else index * 10 + 9}%",
                "count": count,
                "height": round(100 * count / tallest),
            }
            for index, count in enumerate(self.exam.distribution)
        ]


# Loading -----------------------------------------------------------------


@dataclass
class _Taken:
    """The first attempts read for one quiz."""

    responses: dict[int, dict[int, ItemScore]] = field(default_factory=dict)  # attempt -> items
    takers: dict[int, int] = field(default_factory=dict)  # attempt -> user
    quarters: dict[int, str] = field(default_factory=dict)  # attempt -> "2025-Q1"
    # attempt -> [(section slug, difficulty, position, question)], for slots
    bands: dict[int, list[tuple[str, str, int, int]]] = field(default_factory=dict)


def first_attempt_answers() -> QuerySet[Answer]:
    return Answer.objects.filter(attempt__number=1, attempt__status=AttemptStatus.GRADED)


def _quarter(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


def _load(answers: QuerySet[Answer]) -> dict[int, _Taken]:
    """The first attempts' answers, per quiz, in one query."""
    taken: dict[int, _Taken] = defaultdict(_Taken)
    rows = answers.order_by().values_list(
        "attempt__quiz_id",
        "attempt_id",
        "attempt__user_id",
        "attempt__submitted_at",
        "question_id",
        "question__section__slug",
        "question__difficulty",
        "position",
        "points",
        "max_points",
        "chosen",
    )
    for (
        quiz_id,
        attempt_id,
        user_id,
        submitted_at,
        question_id,
        section_slug,
        difficulty,
        position,
        points,
        max_points,
        chosen,
    ) in rows.iterator(chunk_size=5000):
        quiz = taken[quiz_id]
        items = quiz.responses.setdefault(attempt_id, {})
        quiz.takers[attempt_id] = user_id
        quiz.quarters[attempt_id] = _quarter(submitted_at)
        maximum = float(max_points or 0)
        if maximum <= 0:
            continue  # a question worth nothing says nothing about anyone
        # A graded attempt has every answer's points; clamp anyway, since a
        # question's points may have been changed after the attempt started
        # and statistics refuses a score outside 0..max.
        score = min(max(float(points or Decimal(0)), 0.0), maximum)
        items[question_id] = ItemScore(
            score=score,
            max_score=maximum,
            choices=tuple(int(pk) for pk in chosen or []),
        )
        quiz.bands.setdefault(attempt_id, []).append(
            (section_slug, difficulty, position, question_id)
        )
    return taken


def _responses(taken: _Taken) -> list[Response]:
    return [
        Response(taker=taken.takers[attempt_id], items=items)
        for attempt_id, items in taken.responses.items()
    ]


def _slot_responses(taken: _Taken) -> tuple[list[Response], dict[int, str]]:
    """Responses for alpha over a drawn exam's slots.

    The slot of a question is f"{section}/{difficulty}/{n}", n its order
    among the attempt's questions of that band (by position). The same
    question sits in a different slot for different candidates, while
    `exam_statistics` takes one slot per item id; so each response is keyed
    here by slot (a made-up id per slot key), which is what alpha sums over.
    """
    slot_ids: dict[str, int] = {}
    responses = []
    for attempt_id, items in taken.responses.items():
        by_band: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for section, difficulty, position, question_id in taken.bands.get(attempt_id, []):
            by_band[(section, difficulty)].append((position, question_id))
        slotted: dict[int, ItemScore] = {}
        for (section, difficulty), placed in by_band.items():
            for number, (_position, question_id) in enumerate(sorted(placed), start=1):
                key = f"{section}/{difficulty}/{number}"
                slot_id = slot_ids.setdefault(key, len(slot_ids) + 1)
                slotted[slot_id] = items[question_id]
        responses.append(Response(taker=taken.takers[attempt_id], items=slotted))
    return responses, {slot_id: key for key, slot_id in slot_ids.items()}


def _choices_of(question_ids: Iterable[int]) -> dict[int, list[Choice]]:
    choices: dict[int, list[Choice]] = defaultdict(list)
    for choice in Choice.objects.filter(question_id__in=list(question_ids)).order_by(
        "question_id", "position", "pk"
    ):
        choices[choice.question_id].append(choice)
    return choices


# Computing ---------------------------------------------------------------


def _cohorts(taken: _Taken, question_id: int) -> list[Cohort]:
    """The question's facility in each calendar quarter of submission."""
    by_quarter: dict[str, list[Response]] = defaultdict(list)
    for attempt_id, items in taken.responses.items():
        quarter = taken.quarters.get(attempt_id, "")
        if question_id in items and quarter:
            by_quarter[quarter].append(
                Response(taker=taken.takers[attempt_id], items={question_id: items[question_id]})
            )
    cohorts = []
    for label in sorted(by_quarter):  # "YYYY-Qn" sorts in time order
        stats = item_statistics(by_quarter[label], question_id)
        cohorts.append(Cohort(label=label, takers=stats.takers, facility=stats.facility))
    return cohorts


def _analyse_question(
    question: Question, choices: Sequence[Choice], responses: Sequence[Response], taken: _Taken
) -> QuestionAnalysis:
    is_choice = question.kind in CHOICE_KINDS
    stats = item_statistics(responses, question.pk, [choice.pk for choice in choices])
    texts = {choice.pk: choice for choice in choices}
    options = [
        OptionCount(
            choice_id=choice_id,
            text=texts[choice_id].text if choice_id in texts else _("(an option since removed)"),
            correct=texts[choice_id].is_correct if choice_id in texts else False,
            count=count,
        )
        for choice_id, count in stats.distractors.items()
    ]
    cohorts = _cohorts(taken, question.pk)
    return QuestionAnalysis(
        question=question,
        stats=stats,
        options=options if is_choice else [],
        cohorts=cohorts,
        likely_wrong_key=stats.likely_wrong_key and stats.takers >= WRONG_KEY_MIN_TAKERS,
        possibly_leaked=rising_facility(
            [
                (cohort.label, cohort.takers, cohort.facility)
                for cohort in cohorts
                if cohort.facility is not None
            ]
        ),
    )


def _order(quiz: Quiz, questions: Mapping[int, Question]) -> list[int]:
    if quiz.kind != QuizKind.CERTIFICATION:
        positions = dict(quiz.entries.values_list("question_id", "position"))
        return sorted(questions, key=lambda pk: (positions.get(pk, 10_000), pk))
    return sorted(
        questions,
        key=lambda pk: (
            questions[pk].section.position,
            questions[pk].section.slug,
            DIFFICULTY_ORDER.get(questions[pk].difficulty, 9),
            pk,
        ),
    )


def quiz_analysis(quiz: Quiz) -> QuizAnalysis:
    """Item and exam statistics of a quiz or exam over its first attempts:
    every question answered in them (for a certification exam, the pool
    questions drawn)."""
    taken = _load(first_attempt_answers().filter(attempt__quiz=quiz)).get(quiz.pk, _Taken())
    responses = _responses(taken)
    question_ids = {question_id for items in taken.responses.values() for question_id in items}
    questions = {
        question.pk: question
        for question in Question.objects.filter(pk__in=question_ids).select_related(
            "section", "article"
        )
    }
    choices = _choices_of(questions)
    if quiz.kind == QuizKind.CERTIFICATION:
        slot_responses, slots = _slot_responses(taken)
        exam = exam_statistics(slot_responses, slots)
    else:
        exam = exam_statistics(responses)
    items = [
        _analyse_question(questions[pk], choices.get(pk, []), responses, taken)
        for pk in _order(quiz, questions)
    ]
    return QuizAnalysis(quiz=quiz, exam=exam, questions=items)


def question_analyses(question: Question) -> list[tuple[Quiz, QuestionAnalysis]]:
    """The question's figures in each quiz or exam it was answered in (the
    rest score, and so discrimination, depends on the test around it)."""
    attempts = first_attempt_answers().filter(question=question).values("attempt_id")
    loaded = _load(first_attempt_answers().filter(attempt_id__in=attempts))
    quizzes = Quiz.objects.in_bulk(list(loaded))
    choices = list(question.choices.all())
    return [
        (quizzes[quiz_id], _analyse_question(question, choices, _responses(taken), taken))
        for quiz_id, taken in sorted(loaded.items())
        if quiz_id in quizzes
    ]


@transaction.atomic
def do_apply_flags(quiz: Quiz, actor: Any) -> list[QuestionAnalysis]:
    """Flag for review the questions item analysis finds suspect: likely
    wrong keys (negative discrimination, at least WRONG_KEY_MIN_TAKERS
    takers) and possibly leaked ones (rising facility). The note says which.
    Only active questions are flagged: one already waiting for review keeps
    the reason it waits for (its page shows these figures too), and a
    retired one is out of use. Returns the questions flagged now."""
    flagged = []
    for item in quiz_analysis(quiz).to_flag:
        do_flag_question(item.question, item.flag_note, actor)
        flagged.append(item)
    return flagged


# Export ------------------------------------------------------------------


def _csv_cell(value: Any) -> str:
    """A value as a spreadsheet shows it, never as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _figure(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def analysis_csv(analysis: QuizAnalysis) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="quiz-{analysis.quiz.pk}-analysis.csv"'
    response.write("\ufeff")  # spreadsheets read the Polish letters as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Question id"),
            _("Question"),
            _("Section"),
            _("Difficulty"),
            _("Kind"),
            _("Takers"),
            _("Facility"),
            _("Discrimination"),
            _("Low confidence"),
            _("Likely wrong key"),
            _("Possibly leaked"),
            _("Options picked"),
        ]
    )
    for item in analysis.questions:
        question = item.question
        options = "; ".join(
            f"{'*' if option.correct else ''}{option.text}: {option.count}"
            for option in item.options
        )
        writer.writerow(
            [
                question.pk,
                _csv_cell(question.text),
                _csv_cell(question.section.slug),
                question.difficulty,
                question.kind,
                item.stats.takers,
                _figure(item.stats.facility),
                _csv_cell(_figure(item.stats.discrimination)),
                int(item.stats.low_confidence),
                int(item.likely_wrong_key),
                int(item.possibly_leaked),
                _csv_cell(options),
            ]
        )
    return response


# The certification pool ----------------------------------------------------


@dataclass(frozen=True)
class Band:
    section: Section
    difficulty: str
    wanted: int  # the blueprint's count (0: not in the blueprint)
    pool: int  # pool questions of the exam's language, in any status
    active: int
    eligible: int  # active, not leaked, under the exposure cap
    showings_left: int | None  # under a cap: how many more times they can be shown

    @property
    def needed(self) -> int:
        return self.wanted * BAND_RESERVE

    @property
    def short(self) -> bool:
        return self.wanted > 0 and self.eligible < self.needed

    @property
    def difficulty_label(self) -> str:
        return str(Difficulty(self.difficulty).label)

    @property
    def candidates_left(self) -> int | None:
        if self.showings_left is None or not self.wanted:
            return None
        return self.showings_left // self.wanted


def pool_bands(quiz: Quiz) -> list[Band]:
    """Each band of the blueprint (and every other band the pool holds in the
    exam's language): how many questions it has and how many are still
    eligible to be drawn, in two queries."""
    eligible = Q(status=QuestionStatus.ACTIVE, leaked=False)
    if quiz.exposure_cap:
        eligible &= Q(exposure__lt=quiz.exposure_cap)
    counts = (
        Question.objects.filter(in_pool=True, language=quiz.language)
        .order_by()
        .values("section_id", "difficulty")
        .annotate(
            pool=Count("pk"),
            active=Count("pk", filter=Q(status=QuestionStatus.ACTIVE)),
            eligible=Count("pk", filter=eligible),
            showings_left=Sum(quiz.exposure_cap - F("exposure"), filter=eligible),
        )
    )
    found: dict[tuple[int, str], dict[str, Any]] = {
        (row["section_id"], row["difficulty"]): dict(row) for row in counts
    }
    wanted = {(row.section_id, row.difficulty): row.count for row in quiz.blueprint.all()}
    sections = Section.objects.in_bulk({section_id for section_id, _band in [*found, *wanted]})
    bands = []
    for key in {*found, *wanted}:
        section_id, difficulty = key
        row: dict[str, Any] = found.get(key, {})
        bands.append(
            Band(
                section=sections[section_id],
                difficulty=difficulty,
                wanted=wanted.get(key, 0),
                pool=row.get("pool", 0),
                active=row.get("active", 0),
                eligible=row.get("eligible", 0),
                showings_left=(row.get("showings_left") or 0) if quiz.exposure_cap else None,
            )
        )
    return sorted(
        bands,
        key=lambda band: (
            band.section.position,
            band.section.slug,
            DIFFICULTY_ORDER.get(band.difficulty, 9),
        ),
    )
