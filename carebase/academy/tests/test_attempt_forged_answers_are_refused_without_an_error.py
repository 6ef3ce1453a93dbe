"""Answers that are not the attempt's form (an option of another question,
a question of another quiz, two options for a single choice, text that is
not an id, answers too long) are refused with a message; nothing is saved,
the attempt stays open, and no request ends in a server error."""

import pytest

from carebase.academy.models import Answer, Attempt, QuestionKind
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_forged_answers_are_refused(trainee):
    section = make_section()
    single = make_question(section, QuestionKind.SINGLE, "Which one?")
    short = make_question(section, QuestionKind.SHORT, "Minutes?", accepted=["15"])
    elsewhere = make_question(section, QuestionKind.SINGLE, "Not in this quiz")
    quiz = make_quiz([single, short])
    client = client_for(trainee)
    url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    two = list(single.choices.values_list("pk", flat=True)[:2])
    foreign_option = elsewhere.choices.first().pk
    forged = [
        {"shown": [single.pk], f"q{single.pk}": foreign_option},
        {"shown": [single.pk], f"q{single.pk}": two},
        {"shown": [elsewhere.pk], f"q{elsewhere.pk}": foreign_option},
        {"shown": [single.pk], f"q{single.pk}": "1 OR 1=1"},
        {"shown": ["abc"]},
        {"shown": [short.pk], f"q{short.pk}-text": "x" * 6000},
    ]
    for data in forged:
        for target in (url, f"{url}submit/"):
            response = client.post(target, data, follow=True)
            assert response.status_code == 200
            assert 'class="message error"' in response.content.decode()
    assert Attempt.objects.get().status == "in_progress"
    assert not Answer.objects.filter(answered_at__isnull=False).exists()


def test_requests_of_the_wrong_method_are_refused(trainee):
    quiz = make_quiz([make_question(make_section(), QuestionKind.SINGLE)])
    client = client_for(trainee)
    assert client.get(f"/academy/quizzes/{quiz.pk}/start/").status_code == 405
    url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    assert client.get(f"{url}submit/").status_code == 405
    assert client.get(f"{url}grade/").status_code == 405
    assert Attempt.objects.get().status == "in_progress"
