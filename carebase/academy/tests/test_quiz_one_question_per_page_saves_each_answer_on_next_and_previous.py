"""With one question per page, each page carries its own question only, and
Next, Previous, Save and the question numbers each save the page's answer on
the server before moving; submitting from the last page grades them all."""

import pytest

from carebase.academy.models import Answer, Attempt, QuestionKind
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_each_page_saves_its_answer_before_moving(trainee):
    section = make_section()
    single = make_question(section, QuestionKind.SINGLE, "First question?")
    short = make_question(section, QuestionKind.SHORT, "Second question?", accepted=["Tak"])
    true_false = make_question(section, QuestionKind.TRUE_FALSE, "Third question?")
    quiz = make_quiz([single, short, true_false], one_per_page=True)
    client = client_for(trainee)
    url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]

    first_page = client.get(url).content.decode()
    assert "First question?" in first_page and "Second question?" not in first_page
    right = single.choices.get(is_correct=True)
    moved = client.post(url, {"shown": [single.pk], f"q{single.pk}": right.pk, "page": 1, "go": 2})
    assert moved["Location"] == f"{url}?q=2"
    assert Answer.objects.get(question=single).chosen == [right.pk]

    second_page = client.get(moved["Location"]).content.decode()
    assert "Second question?" in second_page and "First question?" not in second_page
    back = client.post(url, {"shown": [short.pk], f"q{short.pk}-text": "tak", "page": 2, "go": 1})
    assert back["Location"] == f"{url}?q=1"
    assert Answer.objects.get(question=short).text == "tak"
    assert "checked" in client.get(back["Location"]).content.decode()

    saved = client.post(
        url, {"shown": [short.pk], f"q{short.pk}-text": "Tak", "page": 2, "action": "save"}
    )
    assert saved["Location"] == f"{url}?q=2"
    wrong = true_false.choices.get(is_correct=False)
    client.post(f"{url}submit/", {"shown": [true_false.pk], f"q{true_false.pk}": wrong.pk})
    attempt = Attempt.objects.get(user=trainee)
    assert attempt.status == "graded"
    assert attempt.score == 2  # the first two, saved on their own pages
