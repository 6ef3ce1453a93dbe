"""A meeting's agenda is built from its own trainee's evidence only: another
trainee of the same mentor, who answered other questions wrongly and asked
their own question, appears nowhere in it (nor on the page, nor over the
API)."""

import pytest
from django.utils import timezone

from carebase.academy.actions import GivenAnswer, do_start_attempt, do_submit_attempt
from carebase.academy.models import Assignment, Choice, Meeting, QuestionKind, TraineeQuestion
from carebase.academy.tests.academy_helpers import make_plan, make_question, make_quiz, make_section
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def _answer_wrongly(user, question):
    quiz = make_quiz([question], title=f"Quiz on {question.text}")
    attempt = do_start_attempt(quiz, user)
    wrong = Choice.objects.get(question=question, text="Wrong").pk
    do_submit_attempt(attempt, {question.pk: GivenAnswer(chosen=[wrong])})


def test_another_trainees_wrong_answers_and_questions_stay_out(mentor, trainee, api_as):
    other = make_user("trainee2", Role.TRAINEE)
    mine = Assignment.objects.create(
        plan=make_plan(), trainee=trainee, mentor=mentor, start_date=timezone.localdate()
    )
    theirs = Assignment.objects.create(
        plan=make_plan("Second plan"), trainee=other, mentor=mentor, start_date=timezone.localdate()
    )
    meeting = Meeting.objects.create(assignment=mine, scheduled_at=timezone.now())
    product = make_section("product", 1)
    analytics = make_section("analytics", 2)
    _answer_wrongly(
        trainee, make_question(product, QuestionKind.SINGLE, "Where are recordings kept?")
    )
    _answer_wrongly(
        other, make_question(analytics, QuestionKind.SINGLE, "Which report shows missed calls?")
    )
    TraineeQuestion.objects.create(assignment=mine, text="How do I transfer a call?")
    TraineeQuestion.objects.create(assignment=theirs, text="Where is the holiday calendar?")

    client = client_for(mentor)
    client.post(f"/academy/meetings/{meeting.pk}/prepare/")
    meeting.refresh_from_db()
    agenda = meeting.agenda
    assert [row["question_text"] for row in agenda["wrong_answers"]] == [
        "Where are recordings kept?"
    ]
    assert [row["slug"] for row in agenda["sections"]] == ["product"]
    assert [row["text"] for row in agenda["questions"]] == ["How do I transfer a call?"]

    page = client.get(f"/academy/meetings/{meeting.pk}/").content.decode()
    body = api_as(mentor).get(f"/academy/meetings/{meeting.pk}").content.decode()
    for shown in (page, body):
        assert "Where are recordings kept?" in shown
        assert "Which report shows missed calls?" not in shown
        assert "Where is the holiday calendar?" not in shown
        assert "Analytics" not in shown
