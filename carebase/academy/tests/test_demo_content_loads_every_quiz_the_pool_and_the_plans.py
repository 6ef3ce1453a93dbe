"""The demo's academy content (YAML) reads into the models with the counts
the issue asks for: about 80 quiz questions in Polish and English with
scenarios, a pool of 120 by section and band, two 10-day plans whose days
fit a working day."""

from collections import Counter

import pytest
from django.db.models import Sum

from carebase.academy import content
from carebase.academy.demo import CONTENT
from carebase.academy.models import Plan, Question, Quiz, RolePlayCard
from carebase.kb.demo import CONTENT as KB_CONTENT
from carebase.kb.transfer import import_folder

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(admin):
    import_folder(KB_CONTENT, admin)
    sections = content.import_sections(CONTENT / "sections.yaml")
    quizzes = {}
    for path in sorted((CONTENT / "quizzes").glob("*.yaml")):
        quizzes.update(content.import_quizzes(path, sections))
    exam = content.import_certification(CONTENT / "certification", sections)
    content.import_cards(CONTENT / "roleplays.yaml", sections)
    plans = content.import_plans(CONTENT / "plans.yaml", quizzes)
    return quizzes, exam, plans


def test_quizzes_cover_five_sections_in_both_languages(loaded):
    fixed = Question.objects.filter(in_pool=False)
    assert fixed.count() == 80
    assert set(fixed.values_list("language", flat=True)) == {"pl", "en"}
    assert Quiz.objects.filter(kind="quiz").values("section").distinct().count() == 5
    assert set(fixed.values_list("kind", flat=True)) == {
        "single",
        "multiple",
        "true_false",
        "short",
        "scenario",
    }
    assert all(
        question.rubric_points == question.points for question in fixed.filter(kind="scenario")
    )
    assert fixed.filter(article__isnull=False).count() >= 70


def test_the_pool_holds_120_questions_spread_over_sections_and_bands(loaded):
    _quizzes, exam, _plans = loaded
    pool = Question.objects.filter(in_pool=True)
    assert pool.count() == 120
    bands = Counter(pool.values_list("section__slug", "difficulty"))
    assert all(
        bands[(row.section.slug, row.difficulty)] >= 4 * row.count for row in exam.blueprint.all()
    )
    assert exam.blueprint.aggregate(total=Sum("count"))["total"] == 24


def test_two_ten_day_plans_with_realistic_days(loaded):
    _quizzes, _exam, plans = loaded
    assert set(plans) == {"support-agent", "cs-manager"}
    for plan in Plan.objects.all():
        days = plan.items.values("day").annotate(minutes=Sum("minutes"))
        assert len(days) == 10
        assert all(420 <= day["minutes"] <= plan.day_minutes + 30 for day in days)
        assert plan.items.filter(kind="lunch").count() == 10
    assert RolePlayCard.objects.count() == 6
