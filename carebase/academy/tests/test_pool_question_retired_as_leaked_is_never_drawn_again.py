"""A pool question the head marks as leaked (on its page) is retired and
leaves the draw: it is no longer eligible for anyone, and every exam drawn
afterwards takes the other question of its band. It cannot be cleared
back into use."""

import pytest

from carebase.academy.certification import draw, eligible
from carebase.academy.models import Difficulty, Question, QuestionStatus
from carebase.academy.tests.academy_helpers import make_certification
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def test_a_question_marked_as_leaked_is_never_drawn(head_of_support):
    exam = make_certification(per_band=2, sections=("product",), blueprint={Difficulty.EASY: 1})
    leaked, other = Question.objects.filter(in_pool=True).order_by("pk")
    candidate = make_user("candidate0", Role.TRAINEE)
    assert leaked in eligible(exam, candidate)

    client = client_for(head_of_support)
    answer = client.post(
        f"/academy/questions/{leaked.pk}/review/",
        {"action": "leaked", "note": "Seen on a forum"},
    )
    assert answer.status_code == 302
    leaked.refresh_from_db()
    assert (leaked.status, leaked.leaked, leaked.status_note) == (
        QuestionStatus.RETIRED,
        True,
        "Seen on a forum",
    )
    assert leaked not in eligible(exam, candidate)
    for number in range(5):
        assert draw(exam, make_user(f"candidate{number + 1}", Role.TRAINEE)) == [other]

    # Its text is out there: it cannot be cleared back into use.
    client.post(f"/academy/questions/{leaked.pk}/review/", {"action": "clear"})
    leaked.refresh_from_db()
    assert leaked.status == QuestionStatus.RETIRED
