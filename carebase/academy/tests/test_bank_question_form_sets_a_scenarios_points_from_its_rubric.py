"""A scenario question's rubric is typed one row per line, "points |
criterion"; the question is worth the sum of the rubric's points whatever
the points field says, and a line that is not "points | criterion" is
refused with its number."""

import pytest

from carebase.academy.models import Question
from carebase.academy.tests.academy_helpers import make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def scenario(section, rubric):
    return {
        "section": section.pk,
        "language": "en",
        "kind": "scenario",
        "difficulty": "hard",
        "text": "A client shouts that calls are not recorded. What do you do?",
        "explanation": "Calm first, then facts.",
        "points": 1,
        "scoring": "partial",
        "rubric_text": rubric,
        "choices-TOTAL_FORMS": 0,
        "choices-INITIAL_FORMS": 0,
    }


def test_the_rubric_sets_the_points(head_of_support):
    section = make_section()
    client = client_for(head_of_support)
    refused = client.post(
        "/academy/questions/new/", scenario(section, "1 | Acknowledges\nNames the next step")
    )
    assert refused.status_code == 200
    assert "Line 2: write “points | criterion”" in refused.content.decode()
    assert not Question.objects.exists()

    client.post(
        "/academy/questions/new/",
        scenario(section, "1 | Acknowledges the client\n\n2 | Checks the recording settings\n"),
    )
    question = Question.objects.get()
    assert question.points == 3
    assert question.rubric == [
        {"criterion": "Acknowledges the client", "points": 1},
        {"criterion": "Checks the recording settings", "points": 2},
    ]
    edit = client.get(f"/academy/questions/{question.pk}/edit/").content.decode()
    assert "1 | Acknowledges the client\n2 | Checks the recording settings" in edit
