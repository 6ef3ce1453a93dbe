"""A trainee's scenario answer waits for their mentor: the attempt is in the
mentor's grading queue, its page shows the mentor the rubric with a form,
and grading it completes the attempt; the trainee then reads the score and
the mentor's feedback."""

from datetime import date

import pytest

from carebase.academy.models import Answer, Attempt
from carebase.academy.tests.academy_helpers import make_assignment, make_mixed_quiz
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _answer_everything(client, quiz):
    url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    questions = {question.kind: question for question in quiz.questions.all()}
    single, multiple, true_false = (
        questions[kind] for kind in ("single", "multiple", "true_false")
    )
    short, scenario = questions["short"], questions["scenario"]
    data = {
        "shown": [question.pk for question in questions.values()],
        f"q{single.pk}": single.choices.get(is_correct=True).pk,
        f"q{multiple.pk}": [choice.pk for choice in multiple.choices.filter(is_correct=True)],
        f"q{true_false.pk}": true_false.choices.get(is_correct=True).pk,
        f"q{short.pk}-text": "15 MINUT.",
        f"q{scenario.pk}-text": "I let them finish, then say what I will do.",
        f"q{scenario.pk}-rationale": "Interrupting an angry client makes it worse.",
    }
    assert client.post(f"{url}submit/", data).status_code == 302
    return url


def test_the_mentor_grades_the_scenario_and_the_trainee_reads_the_result(trainee, mentor):
    make_assignment(trainee, mentor, date(2025, 3, 3))
    quiz = make_mixed_quiz(review_shows="answers")
    url = _answer_everything(client_for(trainee), quiz)
    attempt = Attempt.objects.get(user=trainee)
    assert attempt.status == "awaiting"

    grader = client_for(mentor)
    queue = grader.get("/academy/grading/").content.decode()
    assert f'data-attempt="{attempt.pk}"' in queue
    assert "What do you do if a client shouts?" not in queue
    page = grader.get(url).content.decode()
    assert "Acknowledges the client at once (0\N{EN DASH}1)" in page
    assert "Interrupting an angry client makes it worse." in page
    scenario = Answer.objects.get(attempt=attempt, question__kind="scenario")
    graded = grader.post(
        f"{url}grade/",
        {
            "answer": scenario.pk,
            f"answer-{scenario.pk}-score-0": "1",
            f"answer-{scenario.pk}-score-1": "1",
            f"answer-{scenario.pk}-feedback": "Good; say when you will call back.",
        },
    )
    assert graded.status_code == 302

    attempt.refresh_from_db()
    assert attempt.status == "graded"
    assert attempt.score == 6  # 4 automatic points and 2 of the scenario's 3
    assert f'data-attempt="{attempt.pk}"' not in grader.get("/academy/grading/").content.decode()
    review = client_for(trainee).get(url).content.decode()
    assert "Good; say when you will call back." in review
    assert 'data-result="percent"' in review
