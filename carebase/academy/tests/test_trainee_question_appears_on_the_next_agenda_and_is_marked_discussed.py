"""A question the trainee writes down appears on the agenda of their next
meeting; when the mentor records that meeting as held, the question is
marked discussed, and the following meeting's agenda no longer lists it. A
question asked after the agenda was prepared waits for the next one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carebase.academy.models import Assignment, Meeting, TraineeQuestion
from carebase.academy.tests.academy_helpers import make_plan
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_a_question_is_on_the_next_agenda_then_discussed(mentor, trainee):
    assignment = Assignment.objects.create(
        plan=make_plan(), trainee=trainee, mentor=mentor, start_date=timezone.localdate()
    )
    now = timezone.now()
    first = Meeting.objects.create(assignment=assignment, scheduled_at=now)
    second = Meeting.objects.create(assignment=assignment, scheduled_at=now + timedelta(days=7))

    asking = client_for(trainee)
    answer = asking.post(
        f"/academy/assignments/{assignment.pk}/ask/", {"text": "  How do I transfer a call?  "}
    )
    assert answer.status_code == 302
    assert answer["Location"] == f"/academy/assignments/{assignment.pk}/"
    question = TraineeQuestion.objects.get()
    assert (question.text, question.answered_at) == ("How do I transfer a call?", None)

    mentoring = client_for(mentor)
    mentoring.post(f"/academy/meetings/{first.pk}/prepare/")
    page = mentoring.get(f"/academy/meetings/{first.pk}/").content.decode()
    assert "How do I transfer a call?" in page
    assert "Answer their question: “How do I transfer a call?”." in page

    # Asked once the agenda was prepared: for the meeting after.
    asking.post(f"/academy/assignments/{assignment.pk}/ask/", {"text": "Who approves refunds?"})
    later = TraineeQuestion.objects.get(text="Who approves refunds?")

    mentoring.post(
        f"/academy/meetings/{first.pk}/record/", {"notes": "Transfers shown.", "actions": ""}
    )
    question.refresh_from_db()
    later.refresh_from_db()
    first.refresh_from_db()
    assert question.answered_at == first.held_at
    assert later.answered_at is None

    mentoring.post(f"/academy/meetings/{second.pk}/prepare/")
    second.refresh_from_db()
    assert [row["text"] for row in second.agenda["questions"]] == ["Who approves refunds?"]
