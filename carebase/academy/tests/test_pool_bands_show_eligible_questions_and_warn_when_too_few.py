"""The exam's page shows each band of the pool: its blueprint count, its
questions, the active ones and those still eligible (active, not leaked,
under the exposure cap), and warns when a band holds fewer eligible
questions than three times its blueprint count."""

import pytest

from carebase.academy.actions import do_retire_question
from carebase.academy.models import Difficulty, Question
from carebase.academy.tests.academy_helpers import make_certification
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def band_row(html, band):
    return html[html.index(f'data-band="{band}"') :].split("</tr>")[0]


def test_bands_count_eligible_questions_and_warn_when_short(head_of_support):
    exam = make_certification(
        per_band=4,
        sections=("product",),
        blueprint={Difficulty.EASY: 1, Difficulty.HARD: 2},
        exposure_cap=3,
    )
    easy = list(Question.objects.filter(difficulty=Difficulty.EASY).order_by("pk"))
    Question.objects.filter(pk=easy[0].pk).update(exposure=3)  # at the cap
    do_retire_question(easy[1], "Leaked", leaked=True)

    html = client_for(head_of_support).get(f"/academy/manage/quizzes/{exam.pk}/").content.decode()
    easy_row = band_row(html, "product/easy")
    # 4 in the pool, 3 active, 2 eligible: fewer than 3 x 1.
    assert [cell.split(">")[-1] for cell in easy_row.split("</td>")[2:5]] == ["1", "4", "3"]
    assert "data-eligible>2<" in easy_row and "too few: write at least 3" in easy_row
    hard_row = band_row(html, "product/hard")
    # 4 eligible for a blueprint of 2: fewer than 6.
    assert "data-eligible>4<" in hard_row and "too few: write at least 6" in hard_row
    Question.objects.bulk_create(
        Question(
            section=easy[0].section,
            kind="true_false",
            text=f"More {n}",
            difficulty=Difficulty.EASY,
            in_pool=True,
        )
        for n in range(2)
    )
    html = client_for(head_of_support).get(f"/academy/manage/quizzes/{exam.pk}/").content.decode()
    assert "too few" not in band_row(html, "product/easy")
    assert "data-eligible>4<" in band_row(html, "product/easy")
