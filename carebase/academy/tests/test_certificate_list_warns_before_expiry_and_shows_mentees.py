"""The certificates page lists one's own certificates with their state and,
30 days before one expires, "expires in N days — recertify" (the exam opens
again then); a mentor also sees their mentees' certificates, a trainee no
one else's."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from carebase.academy.actions import GivenAnswer, do_start_attempt, do_submit_attempt
from carebase.academy.models import Certificate
from carebase.academy.tests.academy_helpers import make_assignment, make_certification
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def _certify(exam, user):
    attempt = do_start_attempt(exam, user)
    do_submit_attempt(
        attempt,
        {
            answer.question_id: GivenAnswer(
                chosen=[answer.question.choices.get(is_correct=True).pk]
            )
            for answer in attempt.answers.select_related("question")
        },
    )
    return Certificate.objects.get(user=user)


def test_the_list_warns_to_recertify_and_a_mentor_sees_mentees(trainee, mentor):
    make_assignment(trainee, mentor, date(2025, 3, 3))
    stranger = make_user("agent9", Role.SUPPORT_AGENT)
    exam = make_certification(per_band=2, valid_days=365)
    mine = _certify(exam, trainee)
    theirs = _certify(exam, stranger)

    page = client_for(trainee).get("/academy/certificates/").content.decode()
    assert mine.code in page and theirs.code not in page
    assert "recertify" not in page

    with time_machine.travel(timezone.now() + timedelta(days=345), tick=False):
        page = client_for(trainee).get("/academy/certificates/").content.decode()
        detail = client_for(trainee).get(f"/academy/quizzes/{exam.pk}/").content.decode()
    assert "expires in 19 days — recertify" in page
    assert "Start the exam" in detail

    mentor_page = client_for(mentor).get("/academy/certificates/").content.decode()
    assert mine.code in mentor_page and theirs.code not in mentor_page
