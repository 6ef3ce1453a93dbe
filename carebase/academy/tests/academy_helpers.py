"""Builders for the academy's tests: sections, questions of every kind,
quizzes, a certification exam with its pool, plans and assignments,
graded attempts made directly and scenario answers submitted for grading."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from carebase.academy.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptStatus,
    BlueprintRow,
    Choice,
    Difficulty,
    Plan,
    PlanItem,
    Question,
    QuestionKind,
    Quiz,
    QuizKind,
    QuizQuestion,
    ReviewShows,
    Scoring,
    Section,
)


def make_section(slug: str = "product", position: int = 1) -> Section:
    section, _created = Section.objects.get_or_create(
        slug=slug,
        defaults={"name_pl": slug.title(), "name_en": slug.title(), "position": position},
    )
    return section


def make_question(
    section: Section,
    kind: str = QuestionKind.SINGLE,
    text: str = "Which one?",
    *,
    choices: list[tuple[str, bool]] | None = None,
    points: int = 1,
    scoring: str = Scoring.PARTIAL,
    accepted: list[str] | None = None,
    rubric: list[dict[str, Any]] | None = None,
    explanation: str = "Because the article says so.",
    difficulty: str = Difficulty.MEDIUM,
    in_pool: bool = False,
    language: str = "pl",
    article: Any = None,
) -> Question:
    if kind == QuestionKind.SCENARIO and rubric is None:
        rubric = [
            {"criterion": "Acknowledges the client at once", "points": 1},
            {"criterion": "Names the next step and when", "points": 2},
        ]
        points = 3
    question = Question.objects.create(
        section=section,
        kind=kind,
        text=text,
        points=points,
        scoring=scoring,
        accepted_answers=accepted or [],
        rubric=rubric or [],
        explanation=explanation,
        difficulty=difficulty,
        in_pool=in_pool,
        language=language,
        article=article,
        article_version=article.version if article is not None else None,
    )
    if kind == QuestionKind.TRUE_FALSE and choices is None:
        choices = [("True", True), ("False", False)]
    if kind in (QuestionKind.SINGLE,) and choices is None:
        choices = [("Right", True), ("Wrong", False), ("Also wrong", False)]
    if kind == QuestionKind.MULTIPLE and choices is None:
        choices = [("Right A", True), ("Right B", True), ("Wrong C", False), ("Wrong D", False)]
    for position, (choice_text, correct) in enumerate(choices or []):
        Choice.objects.create(
            question=question, text=choice_text, is_correct=correct, position=position
        )
    return question


def make_quiz(
    questions: list[Question],
    *,
    title: str = "Product basics",
    section: Section | None = None,
    published: bool = True,
    shuffle: bool = False,
    review_shows: str = ReviewShows.ANSWERS,
    **settings: Any,
) -> Quiz:
    quiz = Quiz.objects.create(
        kind=QuizKind.QUIZ,
        title=title,
        section=section or (questions[0].section if questions else None),
        published=published,
        shuffle=shuffle,
        review_shows=review_shows,
        **settings,
    )
    for position, question in enumerate(questions):
        QuizQuestion.objects.create(quiz=quiz, question=question, position=position)
    return quiz


def make_mixed_quiz(section: Section | None = None, **settings: Any) -> Quiz:
    """One question of every kind: single, multiple (partial), true/false,
    short answer and scenario."""
    section = section or make_section()
    questions = [
        make_question(section, QuestionKind.SINGLE, "Where are recordings kept?"),
        make_question(section, QuestionKind.MULTIPLE, "Which integrations exist?"),
        make_question(section, QuestionKind.TRUE_FALSE, "2FA can be reset by support."),
        make_question(
            section, QuestionKind.SHORT, "How many minutes to answer a chat?", accepted=["15 minut"]
        ),
        make_question(section, QuestionKind.SCENARIO, "What do you do if a client shouts?"),
    ]
    return make_quiz(questions, section=section, **settings)


def make_certification(
    *,
    per_band: int = 4,
    sections: tuple[str, ...] = ("product", "regulations"),
    blueprint: dict[str, int] | None = None,
    exposure_cap: int = 0,
    valid_days: int = 365,
    **settings: Any,
) -> Quiz:
    """A certification exam with a pool of `per_band` single-choice questions
    in every section and difficulty band; the blueprint asks one of each
    band per section unless told otherwise."""
    blueprint = blueprint or {Difficulty.EASY: 1, Difficulty.MEDIUM: 1, Difficulty.HARD: 1}
    settings.setdefault("pass_mark", 60)
    quiz = Quiz.objects.create(
        kind=QuizKind.CERTIFICATION,
        title="Support agent certification",
        published=True,
        exposure_cap=exposure_cap,
        valid_days=valid_days,
        **settings,
    )
    for position, slug in enumerate(sections):
        section = make_section(slug, position)
        for band, count in blueprint.items():
            BlueprintRow.objects.create(quiz=quiz, section=section, difficulty=band, count=count)
            for number in range(per_band):
                make_question(
                    section,
                    QuestionKind.SINGLE,
                    f"{slug} {band} pool question {number}",
                    difficulty=band,
                    in_pool=True,
                )
    return quiz


def make_plan(title: str = "Support agent onboarding", days: int = 3) -> Plan:
    plan = Plan.objects.create(title=title)
    for day in range(1, days + 1):
        PlanItem.objects.create(plan=plan, day=day, position=0, kind="task", title=f"Task {day}")
        PlanItem.objects.create(
            plan=plan, day=day, position=1, kind="lunch", title="Lunch", minutes=30
        )
    return plan


def make_assignment(trainee: Any, mentor: Any, start: date, plan: Plan | None = None) -> Assignment:
    from carebase.academy.actions_plans import do_assign_plan

    return do_assign_plan(plan or make_plan(), trainee=trainee, mentor=mentor, start_date=start)


def make_graded_attempt(
    quiz: Quiz,
    user: Any,
    marks: Sequence[int],
    *,
    number: int = 1,
    status: str = AttemptStatus.GRADED,
    submitted_at: datetime | None = None,
    questions: Sequence[Question] | None = None,
) -> Attempt:
    """An attempt as grading leaves it, written straight to the database so
    analysis tests can seed many takers quickly: each one-point choice
    question answered right (mark 1: its correct option picked) or wrong
    (mark 0: its first wrong option), every option shown in its own order.

    The questions are the quiz's in primary-key order unless `questions`
    gives them, in the order shown (a certification draws its own). The
    attempt was started and submitted a day ago unless `submitted_at` says
    when."""
    when = submitted_at or timezone.now() - timedelta(days=1)
    attempt = Attempt.objects.create(
        quiz=quiz, user=user, number=number, status=status, started_at=when, submitted_at=when
    )
    shown = list(questions) if questions is not None else list(quiz.questions.order_by("pk"))
    for position, (question, mark) in enumerate(zip(shown, marks, strict=True)):
        options = list(question.choices.all())
        picked = next(option for option in options if option.is_correct == bool(mark))
        Answer.objects.create(
            attempt=attempt,
            question=question,
            position=position,
            choice_order=[option.pk for option in options],
            chosen=[picked.pk],
            points=mark,
            max_points=1,
        )
    return attempt


def submit_scenarios_for_grading(
    client: Client, quiz: Quiz, *, text: str = "Listen.", rationale: str = "It calms them."
) -> str:
    """Start `quiz` through the pages as the client's trainee and submit it
    with only its scenario questions answered (with their rationale), so the
    attempt waits for a mentor's grading. Returns the attempt's URL."""
    url: str = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    scenarios = list(quiz.questions.filter(kind=QuestionKind.SCENARIO).order_by("pk"))
    data: dict[str, Any] = {"shown": [question.pk for question in scenarios]}
    for question in scenarios:
        data[f"q{question.pk}-text"] = text
        data[f"q{question.pk}-rationale"] = rationale
    client.post(f"{url}submit/", data)
    return url
