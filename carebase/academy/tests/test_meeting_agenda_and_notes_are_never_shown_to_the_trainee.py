"""The trainee sees their meetings' dates and the actions agreed, never the
agenda (it holds the right answers) nor the mentor's notes: not on the
meetings page, not on the meeting's page, not over the API. They cannot
prepare or record a meeting either (403: they see it, they do not run it)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carebase.academy.actions import GivenAnswer, do_start_attempt, do_submit_attempt
from carebase.academy.actions_mentoring import do_prepare_meeting, do_record_meeting
from carebase.academy.models import Assignment, Choice, Meeting, TraineeQuestion
from carebase.academy.tests.academy_helpers import make_plan, make_question, make_quiz, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

NOTES = "Struggles with call transfers; confident on recordings."
ACTIONS = "Shadow two calls with transfers before Friday."
RIGHT = "In the cloud archive, for 90 days"


def test_the_trainee_gets_dates_and_actions_only(mentor, trainee, api_as):
    assignment = Assignment.objects.create(
        plan=make_plan(), trainee=trainee, mentor=mentor, start_date=timezone.localdate()
    )
    held = Meeting.objects.create(assignment=assignment, scheduled_at=timezone.now())
    upcoming = Meeting.objects.create(
        assignment=assignment, scheduled_at=timezone.now() + timedelta(days=7)
    )
    TraineeQuestion.objects.create(assignment=assignment, text="How do I transfer a call?")
    question = make_question(
        make_section(),
        text="Where are recordings kept?",
        choices=[(RIGHT, True), ("On the desk phone", False)],
    )
    attempt = do_start_attempt(make_quiz([question]), trainee)
    wrong = Choice.objects.get(question=question, is_correct=False).pk
    do_submit_attempt(attempt, {question.pk: GivenAnswer(chosen=[wrong])})
    do_prepare_meeting(held, mentor)
    do_record_meeting(held, NOTES, ACTIONS, mentor)
    TraineeQuestion.objects.create(assignment=assignment, text="Can I see my own recordings?")
    do_prepare_meeting(upcoming, mentor)

    client = client_for(trainee)
    listing = client.get("/academy/meetings/")
    assert listing.status_code == 200
    pages = [listing.content.decode()]
    for url in (f"/academy/meetings/{held.pk}/", f"/academy/meetings/{upcoming.pk}/"):
        answer = client.get(url)
        assert answer.status_code == 200
        pages.append(answer.content.decode())
    assert ACTIONS in pages[0] and ACTIONS in pages[1]
    for page in pages:
        assert NOTES not in page
        assert RIGHT not in page
        assert "Agenda" not in page
        assert "Prepare agenda" not in page and "Refresh agenda" not in page
        assert "Mark held" not in page

    api = api_as(trainee)
    listed = api.get("/academy/meetings").json()["items"]
    assert {row["id"] for row in listed} == {held.pk, upcoming.pk}
    for row in listed:
        assert row["notes"] is None and row["agenda_prepared"] is None
    for meeting in (held, upcoming):
        body = api.get(f"/academy/meetings/{meeting.pk}").json()
        assert body["notes"] is None and body["agenda"] is None
    assert api.get(f"/academy/meetings/{held.pk}").json()["actions"] == ACTIONS
    for url in (
        "/academy/meetings",
        f"/academy/meetings/{held.pk}",
        f"/academy/meetings/{upcoming.pk}",
    ):
        body = api.get(url).content.decode()
        assert NOTES not in body and RIGHT not in body

    # Seeing a meeting is not running it.
    assert client.post(f"/academy/meetings/{upcoming.pk}/prepare/").status_code == 403
    assert (
        client.post(f"/academy/meetings/{upcoming.pk}/record/", {"notes": "x"}).status_code == 403
    )
    assert api.post(f"/academy/meetings/{upcoming.pk}/prepare").status_code == 403
    assert api.post(f"/academy/meetings/{upcoming.pk}/record", {"notes": "x"}).status_code == 403
    upcoming.refresh_from_db()
    assert upcoming.held_at is None and upcoming.notes == ""

    # The mentor sees all of it.
    mentor_page = client_for(mentor).get(f"/academy/meetings/{held.pk}/").content.decode()
    assert NOTES in mentor_page and RIGHT in mentor_page
    assert "How do I transfer a call?" in mentor_page
