"""Once a question has been answered, its key may still be corrected (item
analysis exists to find wrong keys) and the correction is recorded with
the old and the new key, while a graded answer keeps its points; what
would make the given answers meaningless is refused: changing the kind, or
removing an option takers were shown."""

import pytest

from carebase.academy.models import Choice
from carebase.academy.tests.academy_helpers import (
    make_graded_attempt,
    make_question,
    make_quiz,
    make_section,
)
from carebase.core.models import AuditEvent
from carebase.testing import ApiClient

pytestmark = pytest.mark.django_db


def test_the_key_is_fixed_and_recorded_but_the_kind_stays(head_of_support, trainee):
    question = make_question(make_section(), text="Which port does SIP use?")
    right, wrong, other = question.choices.all()
    quiz = make_quiz([question])
    # Answered wrong: shown right, wrong and other (in that order), picked wrong.
    answer = make_graded_attempt(quiz, trainee, [0]).answers.get()
    api = ApiClient(head_of_support)
    url = f"/academy/questions/{question.pk}"

    refused = api.patch(url, {"kind": "short", "accepted_answers": ["5060"]})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "kind"]
    removed = api.patch(url, {"choices": [{"id": right.pk, "text": "Right", "correct": True}]})
    assert removed.status_code == 422
    assert set(Choice.objects.filter(question=question)) == {right, wrong, other}

    fixed = api.patch(
        url,
        {
            "choices": [
                {"id": right.pk, "text": "Right", "correct": False},
                {"id": wrong.pk, "text": "5060", "correct": True},
                {"id": other.pk, "text": "Also wrong", "correct": False},
            ]
        },
    )
    assert fixed.status_code == 200
    assert [choice["correct"] for choice in fixed.json()["choices"]] == [False, True, False]
    event = AuditEvent.objects.get(kind="academy.question_changed", target_id=question.pk)
    assert event.data["key"] == [[right.pk], [wrong.pk]]
    assert event.data["answered"] is True
    answer.refresh_from_db()
    assert answer.points == 0  # graded answers never change
