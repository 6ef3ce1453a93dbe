"""Every figure is shown with its number of takers, and marked as low
confidence under 30 of them: at 29 takers the page says "n=29, low
confidence", at 30 it does not."""

import pytest

from carebase.academy.tests.academy_helpers import (
    make_graded_attempt,
    make_question,
    make_quiz,
    make_section,
)
from carebase.core.roles import Role
from carebase.testing import ApiClient, client_for, make_user

pytestmark = pytest.mark.django_db


def test_figures_from_fewer_than_30_takers_are_marked(head_of_support):
    section = make_section()
    quiz = make_quiz([make_question(section, text=f"Question {n}") for n in range(2)])
    # Each taker answers both questions right, or both wrong (every third).
    for n in range(29):
        mark = int(n % 3 != 0)
        make_graded_attempt(quiz, make_user(f"taker{n}", Role.TRAINEE), (mark, mark))
    client = client_for(head_of_support)
    url = f"/academy/manage/quizzes/{quiz.pk}/analysis/"
    html = client.get(url).content.decode()
    assert html.count("n=29, low confidence") == 2  # one per question
    assert html.count("data-low-confidence") == 2
    assert (
        ApiClient(head_of_support)
        .get(f"/academy/quizzes/{quiz.pk}/analysis")
        .json()["exam"]["low_confidence"]
    )

    make_graded_attempt(quiz, make_user("taker29", Role.TRAINEE), (1, 1))
    html = client.get(url).content.decode()
    assert "data-low-confidence" not in html and "n=30, low confidence" not in html
    assert 'data-figure="takers">30<' in html
