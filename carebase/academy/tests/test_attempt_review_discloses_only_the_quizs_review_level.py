"""After submitting, the taker's review shows what the quiz's review setting
says and no more: the score only (no question at all); which answers were
right and wrong (not the right option, nor the explanation); or the right
answers with their explanations."""

import re

import pytest

from carebase.academy.models import QuestionKind, ReviewShows
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

EXPLANATION = "EXPLANATION-recordings-4d2e"
ACCEPTED = "15 minut"


def _take(client, review_shows):
    section = make_section()
    single = make_question(
        section,
        QuestionKind.SINGLE,
        "Where are recordings kept?",
        choices=[("In the panel", True), ("On a CD", False)],
        explanation=EXPLANATION,
    )
    short = make_question(
        section, QuestionKind.SHORT, "Minutes to answer a chat?", accepted=[ACCEPTED]
    )
    quiz = make_quiz([single, short], review_shows=review_shows)
    attempt_url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    wrong = single.choices.get(is_correct=False)
    submitted = client.post(
        f"{attempt_url}submit/",
        {"shown": [single.pk, short.pk], f"q{single.pk}": wrong.pk, f"q{short.pk}-text": "10"},
    )
    assert submitted.status_code == 302
    page = client.get(attempt_url)
    assert page.status_code == 200
    return page.content.decode()


def _verdicts(html):
    return re.findall(r'data-verdict="(\w+)"', html)


def test_score_only_shows_no_question(trainee):
    html = _take(client_for(trainee), ReviewShows.SCORE)
    assert "0 of 2 points" in html
    assert "Where are recordings kept?" not in html
    assert "Minutes to answer a chat?" not in html
    assert "In the panel" not in html
    assert EXPLANATION not in html and ACCEPTED not in html
    assert _verdicts(html) == []


def test_marks_show_right_and_wrong_but_not_the_right_answer(trainee):
    html = _take(client_for(trainee), ReviewShows.MARKS)
    assert "Where are recordings kept?" in html
    assert _verdicts(html) == ["wrong", "wrong"]
    assert 'class="is-correct"' not in html
    assert "badge ok" not in html.split('id="result"')[1].split("</section>", 1)[1]
    assert EXPLANATION not in html
    assert ACCEPTED not in html


def test_answers_show_the_right_option_and_the_explanation(trainee):
    html = _take(client_for(trainee), ReviewShows.ANSWERS)
    assert _verdicts(html) == ["wrong", "wrong"]
    assert re.search(
        r'class="is-correct"[^>]*>\s*<span aria-hidden="true">☐</span> In the panel', html
    )
    assert EXPLANATION in html
    assert ACCEPTED in html
