"""Only the trainee's mentor and managers grade: the trainee grading their
own attempt, another trainee, or a mentor of other trainees get 404 (the
grading queue is 403 for those who do not teach), and nothing changes."""

from datetime import date

import pytest

from carebase.academy.models import Answer
from carebase.academy.tests.academy_helpers import (
    make_assignment,
    make_mixed_quiz,
    submit_scenarios_for_grading,
)
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def test_no_one_but_the_mentor_or_a_manager_grades(trainee, mentor, head_of_support, agent):
    make_assignment(trainee, mentor, date(2025, 3, 3))
    quiz = make_mixed_quiz()
    client = client_for(trainee)
    url = submit_scenarios_for_grading(client, quiz, rationale="Calm.")
    scenario = Answer.objects.get(question__kind="scenario")
    data = {
        "answer": scenario.pk,
        f"answer-{scenario.pk}-score-0": 1,
        f"answer-{scenario.pk}-score-1": 2,
    }
    other_mentor = make_user("mentor2", Role.MENTOR)
    for person in (trainee, agent, other_mentor):
        assert client_for(person).post(f"{url}grade/", data).status_code == 404
    assert client_for(other_mentor).get(url).status_code == 404
    assert client.get("/academy/grading/").status_code == 403
    scenario.refresh_from_db()
    assert scenario.points is None
    assert client_for(head_of_support).post(f"{url}grade/", data).status_code == 302
    scenario.refresh_from_db()
    assert scenario.points == 3 and scenario.graded_by == head_of_support
