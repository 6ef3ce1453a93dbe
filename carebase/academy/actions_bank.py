"""Writing the question bank and the quizzes' settings: one function per
change, shared by the pages and the API, so that the rules below hold
whichever way a question or a quiz is written.

Rules of a question (`question_errors` says which are broken):
- choice kinds have at least two options; single choice and true/false
  exactly one correct, true/false exactly two options; multiple choice at
  least one correct;
- a short-answer question has at least one accepted answer;
- a scenario question has a rubric (rows of points and a criterion) and is
  worth the sum of its rubric's points;
- a question in a fixed quiz cannot join the certification pool (a pool
  question must be one a candidate has not met in a quiz).

Editing a question that has been answered: its text, explanation and the
correctness of its options may change — fixing a wrong key is what item
analysis asks for — and the change is recorded as an event with the old and
the new key; attempts already graded keep their scores (a graded answer
never changes, `academy.actions`). What would make the given answers
meaningless is refused: changing the kind (the answers are option ids for
one kind, text for another) and removing an option someone picked or was
shown (their answers and reviews refer to it by id).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebase.academy.models import (
    CHOICE_KINDS,
    Answer,
    Attempt,
    BlueprintRow,
    Choice,
    Difficulty,
    EventKind,
    Question,
    QuestionKind,
    Quiz,
    QuizKind,
    QuizQuestion,
    Scoring,
    Section,
)
from carebase.core.events import changes, record_event
from carebase.crm.models import Language

# Bounds that keep every score within its columns (an answer holds up to
# 9999.99 points, an attempt 99999.99) with room for any real quiz.
MAX_POINTS = 100
MAX_RUBRIC_ROWS = 30

QUESTION_CHANGED = EventKind.QUESTION_CHANGED
QUIZ_CHANGED = EventKind.QUIZ_CHANGED

QUESTION_FIELDS = [
    "section",
    "language",
    "kind",
    "text",
    "explanation",
    "points",
    "scoring",
    "difficulty",
    "in_pool",
    "accepted_answers",
    "rubric",
    "article",
]


@dataclass
class ChoiceData:
    text: str
    is_correct: bool = False
    id: int | None = None  # an existing option of the question; None: a new one


@dataclass
class QuestionData:
    section: Section
    kind: str
    text: str
    language: str = Language.POLISH
    explanation: str = ""
    points: int = 1
    scoring: str = Scoring.PARTIAL
    difficulty: str = Difficulty.MEDIUM
    in_pool: bool = False
    accepted_answers: list[str] = field(default_factory=list)
    # [{"criterion": str, "points": int}, ...]
    rubric: list[dict[str, Any]] = field(default_factory=list)
    article: Any = None  # a kb Article the editor may read, or None
    choices: list[ChoiceData] = field(default_factory=list)


def question_data_of(question: Question) -> QuestionData:
    """A question as data, to change a few fields of it (API's PATCH)."""
    return QuestionData(
        section=question.section,
        kind=question.kind,
        text=question.text,
        language=question.language,
        explanation=question.explanation,
        points=question.points,
        scoring=question.scoring,
        difficulty=question.difficulty,
        in_pool=question.in_pool,
        accepted_answers=list(question.accepted_answers),
        rubric=[dict(row) for row in question.rubric],
        article=question.article,
        choices=[
            ChoiceData(text=choice.text, is_correct=choice.is_correct, id=choice.pk)
            for choice in question.choices.all()
        ],
    )


def is_answered(question: Question) -> bool:
    return Answer.objects.filter(question=question).exists()


def _shown_choice_ids(question: Question) -> set[int]:
    """Option ids shown to or picked by any taker of the question."""
    shown: set[int] = set()
    for order, chosen in Answer.objects.filter(question=question).values_list(
        "choice_order", "chosen"
    ):
        shown.update(int(pk) for pk in order or [])
        shown.update(int(pk) for pk in chosen or [])
    return shown


def question_errors(data: QuestionData, question: Question | None = None) -> dict[str, list[str]]:
    """What is wrong with the data, by field ("choices" for the options)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not data.text.strip():
        add("text", _("Write the question."))
    if data.kind not in QuestionKind.values:
        add("kind", _("Choose a kind of question."))
    if data.kind != QuestionKind.SCENARIO and not 1 <= data.points <= MAX_POINTS:
        add(
            "points",
            _("A question is worth 1 to %(most)s points.") % {"most": MAX_POINTS},
        )
    if data.kind in CHOICE_KINDS:
        _check_choices(data, add)
    elif data.kind == QuestionKind.SHORT:
        if not [answer for answer in data.accepted_answers if answer.strip()]:
            add("accepted_answers", _("Give at least one accepted answer."))
    elif data.kind == QuestionKind.SCENARIO:
        _check_rubric(data.rubric, add)

    if question is not None and question.pk is not None:
        # As stored: a bound ModelForm has already copied the new values onto
        # the instance it was given.
        question = Question.objects.get(pk=question.pk)
    own_ids = set(question.choices.values_list("pk", flat=True)) if question else set()
    given_ids = {choice.id for choice in data.choices if choice.id is not None}
    if given_ids - own_ids:
        add("choices", _("An option given is not one of this question's."))

    if question is not None and question.pk is not None:
        if (
            data.in_pool
            and not question.in_pool
            and (
                QuizQuestion.objects.filter(question=question).exists()
                # Taken out of its quiz, it was still seen by those who took it.
                or Answer.objects.filter(question=question).exists()
            )
        ):
            add(
                "in_pool",
                _(
                    "This question is in a quiz, so candidates may have met it: it cannot join "
                    "the certification pool. Write a new one for the pool."
                ),
            )
        if is_answered(question):
            if data.kind != question.kind:
                add(
                    "kind",
                    _(
                        "This question has been answered: its kind cannot change. Retire it and "
                        "write a new one."
                    ),
                )
            removed = (own_ids - given_ids) & _shown_choice_ids(question)
            if removed:
                add(
                    "choices",
                    _(
                        "An option that takers were shown cannot be removed; change its text or "
                        "whether it is correct instead."
                    ),
                )
    return errors


def _check_choices(data: QuestionData, add: Any) -> None:
    texts = [choice.text.strip() for choice in data.choices]
    if any(not text for text in texts):
        add("choices", _("Every option needs a text."))
    correct = sum(1 for choice in data.choices if choice.is_correct)
    if len(data.choices) < 2:
        add("choices", _("Give at least two options."))
    if data.kind == QuestionKind.TRUE_FALSE and len(data.choices) != 2:
        add("choices", _("A true-or-false question has exactly two options."))
    if data.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and correct != 1:
        add("choices", _("Mark exactly one option as correct."))
    if data.kind == QuestionKind.MULTIPLE and correct < 1:
        add("choices", _("Mark at least one option as correct."))


def _check_rubric(rubric: Sequence[dict[str, Any]], add: Any) -> None:
    if not rubric:
        add("rubric", _("A scenario question needs a rubric: one row per criterion."))
    if len(rubric) > MAX_RUBRIC_ROWS:
        add("rubric", _("A rubric has at most %(most)s rows.") % {"most": MAX_RUBRIC_ROWS})
    total = 0
    for row in rubric:
        points = row.get("points")
        if not isinstance(points, int) or isinstance(points, bool) or not 1 <= points <= 20:
            add("rubric", _("Each rubric row is worth a whole number of points, 1 to 20."))
            break
        total += points
    if total > MAX_POINTS:
        add(
            "rubric",
            _("A rubric is worth at most %(most)s points in all.") % {"most": MAX_POINTS},
        )
    for row in rubric:
        if not str(row.get("criterion", "")).strip():
            add("rubric", _("Each rubric row needs a criterion."))
            break


def _key_of(question: Question) -> list[int]:
    return sorted(question.choices.filter(is_correct=True).values_list("pk", flat=True))


def do_save_question(question: Question | None, data: QuestionData, actor: Any) -> Question:
    """Create (question None) or change a question with its options. Refused
    with a ValidationError naming each field when a rule is broken; nothing
    changes then."""
    errors = question_errors(data, question)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        creating = question is None
        if question is None:
            question = Question(created_by=actor)
            old_key: list[int] = []
            old_texts: list[str] = []
            answered = False
        else:
            question = Question.objects.select_for_update().get(pk=question.pk)
            old_key = _key_of(question)
            old_texts = list(question.choices.values_list("text", flat=True))
            answered = is_answered(question)
        values: dict[str, Any] = {
            "section": data.section,
            "language": data.language,
            "kind": data.kind,
            "text": data.text.strip(),
            "explanation": data.explanation.strip(),
            "points": data.points,
            "scoring": data.scoring,
            "difficulty": data.difficulty,
            "in_pool": data.in_pool,
            "accepted_answers": (
                [answer.strip() for answer in data.accepted_answers if answer.strip()]
                if data.kind == QuestionKind.SHORT
                else []
            ),
            "rubric": (
                [
                    {"criterion": str(row["criterion"]).strip(), "points": int(row["points"])}
                    for row in data.rubric
                ]
                if data.kind == QuestionKind.SCENARIO
                else []
            ),
            "article": data.article,
        }
        if data.kind == QuestionKind.SCENARIO:
            values["points"] = sum(row["points"] for row in values["rubric"])
        changed = changes(question, QUESTION_FIELDS, values) if not creating else {}
        # The version cited is the one the author wrote against: the article's
        # live version when it is first cited; kept on later edits, so that
        # "the article has a newer version" stays until someone clears it
        # (`do_clear_question`) having checked the question against it.
        if data.article is None:
            question.article_version = None
        elif creating or question.article_id != data.article.pk:
            question.article_version = data.article.version
        for name, value in values.items():
            setattr(question, name, value)
        question.updated_at = timezone.now()
        question.save()
        _save_choices(question, data.choices if data.kind in CHOICE_KINDS else [])
        if creating:
            record_event(QUESTION_CHANGED, question, actor, created=True)
        else:
            new_key = _key_of(question)
            new_texts = list(question.choices.values_list("text", flat=True))
            if new_texts != old_texts:
                changed["options"] = [old_texts, new_texts]
            if new_key != old_key:
                changed["key"] = [old_key, new_key]
            if changed:
                record_event(QUESTION_CHANGED, question, actor, answered=answered, **changed)
    return question


def _save_choices(question: Question, choices: Sequence[ChoiceData]) -> None:
    existing = {choice.pk: choice for choice in question.choices.all()}
    kept: set[int] = set()
    for position, given in enumerate(choices):
        if given.id is not None and given.id in existing:
            choice = existing[given.id]
            choice.text = given.text.strip()
            choice.is_correct = given.is_correct
            choice.position = position
            choice.save(update_fields=["text", "is_correct", "position"])
            kept.add(choice.pk)
        else:
            Choice.objects.create(
                question=question,
                text=given.text.strip(),
                is_correct=given.is_correct,
                position=position,
            )
    Choice.objects.filter(pk__in=set(existing) - kept).delete()


# Quizzes -----------------------------------------------------------------

QUIZ_FIELDS = [
    "kind",
    "section",
    "language",
    "title",
    "description",
    "published",
    "time_limit_minutes",
    "max_attempts",
    "attempt_delay_minutes",
    "shuffle",
    "one_per_page",
    "pass_mark",
    "review_shows",
    "exposure_cap",
    "valid_days",
]


@dataclass
class BandData:
    section: Section
    difficulty: str
    count: int


def quiz_errors(
    quiz: Quiz | None,
    values: dict[str, Any],
    questions: Sequence[Question] | None,
    blueprint: Sequence[BandData] | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    kind = values.get("kind", quiz.kind if quiz else QuizKind.QUIZ)
    if quiz is not None and kind != quiz.kind and Attempt.objects.filter(quiz=quiz).exists():
        errors.setdefault("kind", []).append(_("This quiz has been taken: its kind cannot change."))
    if kind == QuizKind.CERTIFICATION and questions:
        errors.setdefault("questions", []).append(
            _("A certification exam is drawn from the pool by its blueprint, not picked.")
        )
    if questions and any(question.in_pool for question in questions):
        errors.setdefault("questions", []).append(
            _("Pool questions are kept for the certification exam; they cannot be in a quiz.")
        )
    if blueprint:
        bands = [(band.section.pk, band.difficulty) for band in blueprint]
        if len(bands) != len(set(bands)):
            errors.setdefault("blueprint", []).append(
                _("Each section and difficulty appears once in the blueprint.")
            )
        if any(band.count < 1 for band in blueprint):
            errors.setdefault("blueprint", []).append(_("Each row asks for at least 1 question."))
    pass_mark = values.get("pass_mark")
    if pass_mark is not None and not 0 <= pass_mark <= 100:
        errors.setdefault("pass_mark", []).append(_("A pass mark is between 0 and 100%."))
    limits = {
        # field: (most, message)
        "valid_days": (3650, _("A certificate is valid for at most 3650 days (10 years).")),
        "time_limit_minutes": (600, _("A time limit is at most 600 minutes.")),
        "attempt_delay_minutes": (
            525600,
            _("The delay between attempts is at most 525600 minutes (a year)."),
        ),
        "max_attempts": (100, _("At most 100 attempts may be allowed.")),
    }
    for name, (most, message) in limits.items():
        value = values.get(name)
        if value is not None and value > most:
            errors.setdefault(name, []).append(message)
    if blueprint and any(band.count > 50 for band in blueprint):
        errors.setdefault("blueprint", []).append(_("Each row asks for at most 50 questions."))
    return errors


def do_save_quiz(
    quiz: Quiz | None,
    values: dict[str, Any],
    actor: Any,
    *,
    questions: Sequence[Question] | None = None,
    blueprint: Sequence[BandData] | None = None,
) -> Quiz:
    """Create or change a quiz's settings; for a fixed quiz its questions (in
    the order given) when `questions` is not None, for a certification exam
    its blueprint when `blueprint` is not None. An attempt already started
    keeps its own copy of the questions (its answers' rows), so changing
    them affects only attempts started afterwards."""
    errors = quiz_errors(quiz, values, questions, blueprint)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        creating = quiz is None
        if quiz is None:
            quiz = Quiz(created_by=actor)
            changed: dict[str, Any] = {}
        else:
            quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
            changed = changes(quiz, [name for name in QUIZ_FIELDS if name in values], values)
        for name, value in values.items():
            if name in QUIZ_FIELDS:
                setattr(quiz, name, value)
        quiz.save()
        if questions is not None and quiz.kind != QuizKind.CERTIFICATION:
            before = list(quiz.entries.values_list("question_id", flat=True))
            _save_entries(quiz, questions)
            after = [question.pk for question in questions]
            if before != after:
                changed["questions"] = [before, after]
        if blueprint is not None and quiz.kind == QuizKind.CERTIFICATION:
            before_rows = sorted(quiz.blueprint.values_list("section_id", "difficulty", "count"))
            quiz.blueprint.all().delete()
            BlueprintRow.objects.bulk_create(
                BlueprintRow(
                    quiz=quiz, section=band.section, difficulty=band.difficulty, count=band.count
                )
                for band in blueprint
            )
            after_rows = sorted(
                (band.section.pk, band.difficulty, band.count) for band in blueprint
            )
            if before_rows != after_rows:
                changed["blueprint"] = [
                    [list(row) for row in before_rows],
                    [list(row) for row in after_rows],
                ]
        if creating:
            record_event(QUIZ_CHANGED, quiz, actor, created=True)
        elif changed:
            record_event(QUIZ_CHANGED, quiz, actor, **changed)
    return quiz


def _save_entries(quiz: Quiz, questions: Sequence[Question]) -> None:
    wanted = [question.pk for question in questions]
    quiz.entries.exclude(question_id__in=wanted).delete()
    existing = {entry.question_id: entry for entry in quiz.entries.all()}
    for position, question_id in enumerate(wanted):
        entry = existing.get(question_id)
        if entry is None:
            QuizQuestion.objects.create(quiz=quiz, question_id=question_id, position=position)
        elif entry.position != position:
            entry.position = position
            entry.save(update_fields=["position"])
