"""A certification exam is drawn per candidate by the blueprint, from active
pool questions the candidate has never been shown."""

from collections import Counter

import pytest

from carebase.academy.actions import do_start_attempt, do_submit_attempt
from carebase.academy.models import Question
from carebase.academy.tests.academy_helpers import make_certification

pytestmark = pytest.mark.django_db


def test_each_exam_holds_the_blueprints_count_of_each_band(trainee):
    exam = make_certification(per_band=3)
    attempt = do_start_attempt(exam, trainee)
    bands = Counter(
        (answer.question.section.slug, answer.question.difficulty)
        for answer in attempt.answers.select_related("question__section")
    )
    assert bands == {
        (slug, band): 1
        for slug in ("product", "regulations")
        for band in ("easy", "medium", "hard")
    }
    assert all(answer.question.in_pool for answer in attempt.answers.all())


def test_a_second_exam_never_repeats_a_question_of_the_first(trainee):
    exam = make_certification(per_band=2, pass_mark=101)  # nobody passes: a retake follows
    first = do_start_attempt(exam, trainee)
    do_submit_attempt(first)
    second = do_start_attempt(exam, trainee)
    seen = set(first.answers.values_list("question_id", flat=True))
    assert seen.isdisjoint(second.answers.values_list("question_id", flat=True))


def test_quiz_questions_and_retired_or_leaked_ones_are_never_drawn(trainee):
    exam = make_certification(per_band=2)
    pool = Question.objects.filter(in_pool=True, section__slug="product", difficulty="easy")
    retired, leaked = list(pool)
    retired.status = "retired"
    retired.save()
    leaked.leaked = True
    leaked.save()
    with pytest.raises(Exception) as refused:
        do_start_attempt(exam, trainee)
    assert "too few questions" in str(refused.value)
