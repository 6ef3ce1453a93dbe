"""Exposure: no question is shown to more candidates than the cap; it is
retired when it reaches it; a band without enough questions refuses to
start an exam and changes nothing."""

import pytest

from carebase.academy.actions import AttemptRefused, do_start_attempt
from carebase.academy.models import Attempt, Question, QuestionStatus
from carebase.academy.tests.academy_helpers import make_certification
from carebase.core.roles import Role
from carebase.testing import make_user

pytestmark = pytest.mark.django_db


def test_a_question_shown_to_the_cap_is_retired_and_no_longer_drawn():
    exam = make_certification(per_band=2, sections=("product",), exposure_cap=1)
    first, second = (make_user(f"candidate{n}", Role.TRAINEE) for n in (1, 2))
    do_start_attempt(exam, first)
    shown = set(Attempt.objects.get(user=first).answers.values_list("question_id", flat=True))
    assert set(Question.objects.filter(pk__in=shown).values_list("status", flat=True)) == {
        QuestionStatus.RETIRED
    }
    do_start_attempt(exam, second)
    assert shown.isdisjoint(
        Attempt.objects.get(user=second).answers.values_list("question_id", flat=True)
    )
    assert all(question.exposure <= 1 for question in Question.objects.all())


def test_a_thin_band_refuses_the_exam_and_counts_nothing_as_shown():
    exam = make_certification(per_band=1, sections=("product",), exposure_cap=1)
    first, second = (make_user(f"candidate{n}", Role.TRAINEE) for n in (1, 2))
    do_start_attempt(exam, first)
    exposure_before = dict(Question.objects.values_list("pk", "exposure"))
    with pytest.raises(AttemptRefused) as refused:
        do_start_attempt(exam, second)
    assert refused.value.status == 503
    assert not Attempt.objects.filter(user=second).exists()
    assert dict(Question.objects.values_list("pk", "exposure")) == exposure_before
