"""The agenda gathers the evidence since the previous held meeting: wrong
answers already discussed then are left out, and once prepared an agenda
is kept as it was, even after the evidence moves on; a held meeting's
agenda cannot be refreshed."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from carebase.academy.actions import GivenAnswer, do_start_attempt, do_submit_attempt
from carebase.academy.actions_mentoring import do_record_meeting
from carebase.academy.models import Assignment, Choice, Meeting, QuestionKind
from carebase.academy.tests.academy_helpers import make_plan, make_question, make_quiz, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")


def at(day, hour):
    return datetime(2026, 3, day, hour, 0, tzinfo=WARSAW)


def _answer_wrongly(user, question, when):
    with time_machine.travel(when, tick=False):
        quiz = make_quiz([question], title=question.text)
        attempt = do_start_attempt(quiz, user)
        wrong = Choice.objects.get(question=question, text="Wrong").pk
        do_submit_attempt(attempt, {question.pk: GivenAnswer(chosen=[wrong])})


def test_only_what_happened_since_the_last_meeting_is_on_the_agenda(mentor, trainee, api_as):
    with time_machine.travel(at(2, 8), tick=False):
        assignment = Assignment.objects.create(
            plan=make_plan(), trainee=trainee, mentor=mentor, start_date=at(2, 8).date()
        )
    first = Meeting.objects.create(assignment=assignment, scheduled_at=at(6, 10))
    second = Meeting.objects.create(assignment=assignment, scheduled_at=at(13, 10))
    section = make_section()
    _answer_wrongly(
        trainee, make_question(section, QuestionKind.SINGLE, "Before the first"), at(4, 12)
    )
    with time_machine.travel(at(6, 11), tick=False):
        do_record_meeting(first, "Went through the recordings.", "Read the article again.", mentor)
    _answer_wrongly(
        trainee, make_question(section, QuestionKind.SINGLE, "After the first"), at(9, 12)
    )

    client = client_for(mentor)
    with time_machine.travel(at(12, 9), tick=False):
        client.post(f"/academy/meetings/{second.pk}/prepare/")
    second.refresh_from_db()
    assert [row["question_text"] for row in second.agenda["wrong_answers"]] == ["After the first"]
    assert datetime.fromisoformat(second.agenda["since"]) == at(6, 11)

    # The first meeting kept the agenda it was held with; it cannot be refreshed.
    first.refresh_from_db()
    assert [row["question_text"] for row in first.agenda["wrong_answers"]] == ["Before the first"]
    answer = api_as(mentor).post(f"/academy/meetings/{first.pk}/prepare")
    assert answer.status_code == 409
    first.refresh_from_db()
    assert [row["question_text"] for row in first.agenda["wrong_answers"]] == ["Before the first"]

    # New evidence does not change a prepared agenda until it is refreshed.
    _answer_wrongly(trainee, make_question(section, QuestionKind.SINGLE, "Later still"), at(12, 12))
    second.refresh_from_db()
    assert len(second.agenda["wrong_answers"]) == 1
    with time_machine.travel(at(12, 13), tick=False):
        client.post(f"/academy/meetings/{second.pk}/prepare/")
    second.refresh_from_db()
    assert [row["question_text"] for row in second.agenda["wrong_answers"]] == [
        "Later still",
        "After the first",
    ]
