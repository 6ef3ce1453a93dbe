"""While an attempt is open, its page holds the questions and the options,
never a key: no explanation, no accepted answer, no rubric criterion, and
no attribute on an option that tells the right one from the others."""

import re

import pytest

from carebase.academy.models import QuestionKind
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

SECRETS = (
    "EXPLANATION-single-7f3a",
    "EXPLANATION-multiple-2b1c",
    "ACCEPTED-short-91bc",
    "CRITERION-scenario-55de",
    "EXPLANATION-scenario-0a0a",
)


def _quiz(**settings):
    section = make_section()
    questions = [
        make_question(
            section,
            QuestionKind.SINGLE,
            "Where are recordings kept?",
            choices=[("In the panel", True), ("On a CD", False)],
            explanation=SECRETS[0],
        ),
        make_question(
            section,
            QuestionKind.MULTIPLE,
            "Which integrations exist?",
            choices=[("Pipedrive", True), ("HubSpot", True), ("Fax", False)],
            explanation=SECRETS[1],
        ),
        make_question(
            section, QuestionKind.SHORT, "Minutes to answer a chat?", accepted=[SECRETS[2]]
        ),
        make_question(
            section,
            QuestionKind.SCENARIO,
            "A client shouts: what do you do?",
            rubric=[{"criterion": SECRETS[3], "points": 2}],
            explanation=SECRETS[4],
        ),
    ]
    return make_quiz(questions, time_limit_minutes=20, **settings)


def _assert_no_keys(html: str) -> None:
    for secret in SECRETS:
        assert secret not in html
    for option_tag in re.findall(r"<input[^>]*name=\"q\d+\"[^>]*>", html):
        assert "correct" not in option_tag.lower()
        assert "data-" not in option_tag
    assert 'class="is-correct"' not in html and 'class="is-wrong"' not in html


def test_the_open_attempt_page_holds_questions_but_no_key(trainee):
    quiz = _quiz()
    client = client_for(trainee)
    started = client.post(f"/academy/quizzes/{quiz.pk}/start/")
    assert started.status_code == 302
    page = client.get(started["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Which integrations exist?" in html and "Pipedrive" in html
    options = re.findall(r"<input[^>]*name=\"q\d+\"[^>]*>", html)
    assert sum('type="checkbox"' in tag for tag in options) == 3
    assert sum('type="radio"' in tag for tag in options) == 2
    _assert_no_keys(html)


def test_no_page_of_a_quiz_one_question_at_a_time_holds_a_key(trainee):
    quiz = _quiz(one_per_page=True)
    client = client_for(trainee)
    attempt_url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    for number in range(1, 5):
        html = client.get(f"{attempt_url}?q={number}").content.decode()
        assert html.count('name="shown"') == 1
        _assert_no_keys(html)
    _assert_no_keys(client.get(f"/academy/quizzes/{quiz.pk}/").content.decode())
    _assert_no_keys(client.get("/academy/").content.decode())
