"""A certification candidate's pages hold the questions drawn for them and
no other question of the pool: not on any page of the exam, one question
per page, nor in the review after it (which shows the right answers)."""

import pytest

from carebase.academy.models import Answer, Question
from carebase.academy.tests.academy_helpers import make_certification
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_no_page_of_the_exam_reveals_an_undrawn_pool_question(trainee):
    exam = make_certification(per_band=4, one_per_page=True, time_limit_minutes=30)
    client = client_for(trainee)
    assert "pool question" not in client.get(f"/academy/quizzes/{exam.pk}/").content.decode()
    attempt_url = client.post(f"/academy/quizzes/{exam.pk}/start/")["Location"]
    drawn = set(
        Answer.objects.filter(attempt__user=trainee).values_list("question__text", flat=True)
    )
    undrawn = set(Question.objects.filter(in_pool=True).values_list("text", flat=True)) - drawn
    assert len(drawn) == 6 and len(undrawn) == 18

    pages = [client.get(f"{attempt_url}?q={number}").content.decode() for number in range(1, 7)]
    assert {text for text in drawn if any(text in page for page in pages)} == drawn
    submitted = client.post(f"{attempt_url}submit/", follow=True)
    pages.append(submitted.content.decode())
    pages.append(client.get("/academy/").content.decode())
    assert {text for text in drawn if text in pages[-2]} == drawn  # the review shows them
    for page in pages:
        for text in undrawn:
            assert text not in page
