"""Reading academy content from YAML: sections, quizzes with their questions,
the certification exam with its pool and blueprint, role-play cards and
onboarding plans. The demo's content (demo_content/) is read by it; the
shapes are documented in docs/academy.md.

Questions cite knowledge-base articles as `<language>/<slug>`; the article's
live version is recorded, so that a later significant version flags them.
A file that names an unknown section, article or quiz fails with the file
and the item named, before anything is written (the caller's transaction).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from carebase.academy.models import (
    BlueprintRow,
    Choice,
    Plan,
    PlanItem,
    Question,
    QuestionKind,
    Quiz,
    QuizKind,
    QuizQuestion,
    RolePlayCard,
    Section,
)
from carebase.kb.models import Article

TRUE_FALSE = {"pl": ("Prawda", "Fałsz"), "en": ("True", "False")}


class ContentError(ValueError):
    pass


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _article(reference: str | None, where: str) -> Article | None:
    if not reference:
        return None
    language, _slash, slug = reference.partition("/")
    article = Article.objects.filter(language=language, slug=slug).first()
    if article is None:
        raise ContentError(f"{where}: no article {reference}")
    return article


def import_sections(path: Path) -> dict[str, Section]:
    sections = {}
    for row in _load(path):
        section, _created = Section.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name_pl": row["name_pl"],
                "name_en": row["name_en"],
                "description_pl": row.get("description_pl", ""),
                "description_en": row.get("description_en", ""),
                "position": row.get("position", 0),
            },
        )
        sections[section.slug] = section
    return sections


def create_question(
    row: dict[str, Any], section: Section, language: str, where: str, in_pool: bool = False
) -> Question:
    kind = QuestionKind(row["kind"])
    article = _article(row.get("article"), where)
    rubric: list[dict[str, Any]] = [
        {"criterion": str(item["criterion"]), "points": int(item["points"])}
        for item in row.get("rubric") or []
    ]
    points = int(row.get("points", 1))
    if kind == QuestionKind.SCENARIO and rubric:
        points = sum(int(item["points"]) for item in rubric)
    question = Question.objects.create(
        section=section,
        language=language,
        kind=kind,
        text=str(row["text"]).strip(),
        explanation=str(row.get("explanation", "")).strip(),
        points=points,
        scoring=row.get("scoring", "partial"),
        difficulty=row.get("difficulty", "medium"),
        accepted_answers=[str(answer) for answer in row.get("accepted") or []],
        rubric=rubric,
        article=article,
        article_version=article.version if article is not None and article.version else None,
        in_pool=in_pool,
    )
    if kind == QuestionKind.TRUE_FALSE:
        true, false = TRUE_FALSE.get(language, TRUE_FALSE["en"])
        answer = bool(row["answer"])
        choices = [(true, answer), (false, not answer)]
    else:
        choices = [
            (str(item["text"]), bool(item.get("correct"))) for item in row.get("choices") or []
        ]
    Choice.objects.bulk_create(
        Choice(question=question, text=text, is_correct=correct, position=position)
        for position, (text, correct) in enumerate(choices)
    )
    return question


def _quiz_settings(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "language": row.get("language", "pl"),
        "title": row["title"],
        "description": row.get("description", ""),
        "time_limit_minutes": row.get("time_limit_minutes"),
        "max_attempts": row.get("max_attempts"),
        "attempt_delay_minutes": row.get("attempt_delay_minutes") or 0,
        "shuffle": row.get("shuffle", True),
        "one_per_page": row.get("one_per_page", False),
        "pass_mark": row.get("pass_mark", 70),
        "review_shows": row.get("review", "answers"),
        "published": True,
    }


def import_quizzes(path: Path, sections: dict[str, Section]) -> dict[str, Quiz]:
    data = _load(path)
    section = sections[data["section"]]
    quizzes = {}
    for row in data["quizzes"]:
        quiz = Quiz.objects.create(kind=QuizKind.QUIZ, section=section, **_quiz_settings(row))
        for position, item in enumerate(row["questions"]):
            question = create_question(
                item, section, quiz.language, f"{path.name}: {row['key']} #{position + 1}"
            )
            QuizQuestion.objects.create(quiz=quiz, question=question, position=position)
        quizzes[row["key"]] = quiz
    return quizzes


def import_certification(folder: Path, sections: dict[str, Section]) -> Quiz:
    exam = _load(folder / "exam.yaml")
    quiz = Quiz.objects.create(
        kind=QuizKind.CERTIFICATION,
        exposure_cap=exam.get("exposure_cap", 0),
        valid_days=exam.get("valid_days", 0),
        **_quiz_settings(exam),
    )
    for row in exam["blueprint"]:
        for band in ("easy", "medium", "hard"):
            if row.get(band):
                BlueprintRow.objects.create(
                    quiz=quiz, section=sections[row["section"]], difficulty=band, count=row[band]
                )
    for path in sorted(folder.glob("pool-*.yaml")):
        for number, item in enumerate(_load(path)["questions"]):
            create_question(
                item,
                sections[item["section"]],
                quiz.language,
                f"{path.name} #{number + 1}",
                in_pool=True,
            )
    return quiz


def import_cards(path: Path, sections: dict[str, Section]) -> list[RolePlayCard]:
    cards = []
    for row in _load(path):
        cards.append(
            RolePlayCard.objects.create(
                section=sections.get(row.get("section", "")),
                language=row.get("language", "pl"),
                title=row["title"],
                situation=str(row["situation"]).strip(),
                tricky_questions=[str(text) for text in row.get("tricky_questions") or []],
                rubric=[
                    {"criterion": str(item["criterion"]), "points": int(item["points"])}
                    for item in row.get("rubric") or []
                ],
            )
        )
    return cards


def import_plans(path: Path, quizzes: dict[str, Quiz], language: str = "pl") -> dict[str, Plan]:
    plans = {}
    for row in _load(path):
        title = row["title_en"] if language == "en" and row.get("title_en") else row["title"]
        plan = Plan.objects.create(
            title=title,
            role=row.get("role", "support_agent"),
            description=row.get("description", ""),
        )
        items = []
        for day in row["days"]:
            for position, item in enumerate(day["items"]):
                where = f"{path.name}: {row['key']} day {day['day']}"
                quiz = quizzes.get(item["quiz"]) if item.get("quiz") else None
                if item.get("quiz") and quiz is None:
                    raise ContentError(f"{where}: no quiz {item['quiz']}")
                items.append(
                    PlanItem(
                        plan=plan,
                        day=int(day["day"]),
                        position=position,
                        kind=item["kind"],
                        title=item["title"],
                        description=str(item.get("description", "")).strip(),
                        minutes=int(item.get("minutes", 30)),
                        article=_article(item.get("article"), where),
                        url=item.get("url", ""),
                        quiz=quiz,
                    )
                )
        PlanItem.objects.bulk_create(items)
        plans[row["key"]] = plan
    return plans
