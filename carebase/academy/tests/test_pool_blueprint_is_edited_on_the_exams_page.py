"""The head sets an exam's blueprint on its page: a row per section and
difficulty with a count; a count of 0 takes a band out; a band given twice
is refused and the blueprint stays as it was."""

import pytest

from carebase.academy.models import BlueprintRow, Difficulty
from carebase.academy.tests.academy_helpers import make_certification, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

SETTINGS = {
    "kind": "certification",
    "title": "Support agent certification",
    "section": "",
    "language": "pl",
    "description": "",
    "time_limit_minutes": 45,
    "max_attempts": "",
    "attempt_delay_minutes": 0,
    "shuffle": "on",
    "pass_mark": 70,
    "review_shows": "score",
    "published": "on",
    "exposure_cap": 40,
    "valid_days": 365,
}


def bands(rows):
    data = {"bands-TOTAL_FORMS": len(rows), "bands-INITIAL_FORMS": 0}
    for index, (section, difficulty, count) in enumerate(rows):
        data[f"bands-{index}-section"] = section.pk
        data[f"bands-{index}-difficulty"] = difficulty
        data[f"bands-{index}-count"] = count
    return data


def blueprint(exam):
    return sorted(
        (row.section.slug, row.difficulty, row.count)
        for row in BlueprintRow.objects.filter(quiz=exam).select_related("section")
    )


def test_the_blueprint_and_settings_are_saved(head_of_support):
    exam = make_certification(sections=("product", "regulations"))
    product, regulations = make_section("product"), make_section("regulations")
    client = client_for(head_of_support)
    url = f"/academy/manage/quizzes/{exam.pk}/"
    rows = [
        (product, Difficulty.EASY, 2),
        (product, Difficulty.HARD, 0),
        (regulations, "medium", 3),
    ]
    answer = client.post(url, {**SETTINGS, **bands(rows)})
    assert answer.status_code == 302
    assert blueprint(exam) == [("product", "easy", 2), ("regulations", "medium", 3)]
    exam.refresh_from_db()
    assert (exam.exposure_cap, exam.time_limit_minutes, exam.pass_mark) == (40, 45, 70)

    twice = [(product, Difficulty.EASY, 1), (product, Difficulty.EASY, 2)]
    answer = client.post(url, {**SETTINGS, **bands(twice), "pass_mark": 50})
    assert answer.status_code == 200
    assert "Each section and difficulty appears once in the blueprint." in answer.content.decode()
    assert blueprint(exam) == [("product", "easy", 2), ("regulations", "medium", 3)]
    exam.refresh_from_db()
    assert exam.pass_mark == 70
