"""A scenario answer is submitted with the reason why: a submit with an
answer but no rationale keeps what was written and sends the trainee back to
that question; with the rationale it is submitted for the mentor's grading.
The page's own submit when the time runs out takes what there is."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from carebase.academy.models import Answer, Attempt, QuestionKind
from carebase.academy.tests.academy_helpers import make_question, make_quiz, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _quiz(**settings):
    section = make_section()
    single = make_question(section, QuestionKind.SINGLE, "Which one?")
    scenario = make_question(section, QuestionKind.SCENARIO, "A client shouts?")
    return make_quiz([single, scenario], **settings), scenario


def test_a_scenario_answer_without_rationale_is_not_submitted(trainee):
    quiz, scenario = _quiz()
    client = client_for(trainee)
    url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    sent_back = client.post(
        f"{url}submit/", {"shown": [scenario.pk], f"q{scenario.pk}-text": "I listen."}, follow=True
    )
    assert "Question 2: say why, then submit." in sent_back.content.decode()
    assert Attempt.objects.get().status == "in_progress"
    assert Answer.objects.get(question=scenario).text == "I listen."
    assert "I listen." in sent_back.content.decode()

    client.post(
        f"{url}submit/",
        {
            "shown": [scenario.pk],
            f"q{scenario.pk}-text": "I listen.",
            f"q{scenario.pk}-rationale": "It calms them.",
        },
    )
    assert Attempt.objects.get().status == "awaiting"


def test_one_per_page_sends_the_trainee_to_the_question(trainee):
    quiz, scenario = _quiz(one_per_page=True)
    client = client_for(trainee)
    url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    response = client.post(f"{url}submit/", {"shown": [scenario.pk], f"q{scenario.pk}-text": "X"})
    assert response["Location"] == f"{url}?q=2"


def test_the_timeout_submit_takes_what_there_is(trainee):
    quiz, scenario = _quiz(time_limit_minutes=5)
    client = client_for(trainee)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        url = client.post(f"/academy/quizzes/{quiz.pk}/start/")["Location"]
    # Sent by the page as the clock reaches zero: believed in the last minute only.
    with time_machine.travel(start + timedelta(minutes=4, seconds=50), tick=False):
        client.post(
            f"{url}submit/", {"shown": [scenario.pk], f"q{scenario.pk}-text": "X", "timeout": "1"}
        )
    assert Attempt.objects.get().status == "awaiting"
