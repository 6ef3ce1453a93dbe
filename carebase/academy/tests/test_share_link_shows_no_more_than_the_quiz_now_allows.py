"""A share link made while the quiz showed the answers shows only the score
once the quiz's review is narrowed: never more than its taker now sees."""

import re

import pytest

from carebase.academy.models import QuestionKind, Quiz
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_a_narrowed_review_narrows_the_links_made_before(trainee, agent):
    question = make_question(
        make_section(), QuestionKind.SINGLE, "Which one?", explanation="EXPLAINED-KEY"
    )
    quiz = make_quiz([question], review_shows="answers")
    client = client_for(trainee)
    url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    client.post(f"{url}submit/", {"shown": [question.pk]})
    page = client.post(f"{url}share/", {"level": "answers", "days": 30}).content.decode()
    link = re.search(r"/academy/shared/[^\"<\s]+/", page).group(0)
    assert "EXPLAINED-KEY" in client_for(agent).get(link).content.decode()
    Quiz.objects.filter(pk=quiz.pk).update(review_shows="score")
    shared = client_for(agent).get(link)
    assert shared.status_code == 200
    assert "EXPLAINED-KEY" not in shared.content.decode()
    assert "Which one?" not in shared.content.decode()
