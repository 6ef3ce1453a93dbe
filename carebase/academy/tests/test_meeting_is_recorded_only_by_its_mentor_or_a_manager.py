"""Only the mentor of the assignment, or a manager, records a meeting: another
mentor does not even see it (404), nor does an agent; the trainee sees it
but may not record it (403). A meeting is recorded once: a second record,
or a replayed request, changes nothing (the page says so; the API answers
409). Recording appends a "meeting held" event."""

import pytest
from django.utils import timezone

from carebase.academy.models import Assignment, EventKind, Meeting
from carebase.academy.tests.academy_helpers import make_plan
from carebase.core.events import events_for
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def test_the_mentor_or_a_manager_records_a_meeting_once(
    mentor, trainee, head_of_support, agent, api_as
):
    other_mentor = make_user("mentor2", Role.MENTOR)
    assignment = Assignment.objects.create(
        plan=make_plan(), trainee=trainee, mentor=mentor, start_date=timezone.localdate()
    )
    first = Meeting.objects.create(assignment=assignment, scheduled_at=timezone.now())
    second = Meeting.objects.create(assignment=assignment, scheduled_at=timezone.now())
    form = {"notes": "Good progress.", "actions": "Finish the analytics quiz."}

    for person, status in ((other_mentor, 404), (agent, 404), (trainee, 403)):
        assert (
            client_for(person).post(f"/academy/meetings/{first.pk}/record/", form).status_code
            == status
        )
        assert client_for(person).get(f"/academy/meetings/{first.pk}/").status_code == (
            200 if person == trainee else 404
        )
        api = api_as(person).post(f"/academy/meetings/{first.pk}/record", form)
        assert api.status_code == status
    first.refresh_from_db()
    assert first.held_at is None and first.notes == ""

    client = client_for(mentor)
    answer = client.post(f"/academy/meetings/{first.pk}/record/", form, follow=True)
    assert answer.redirect_chain[-1][0] == f"/academy/meetings/{first.pk}/"
    assert "The meeting is recorded as held." in answer.content.decode()
    first.refresh_from_db()
    assert first.held_at is not None
    assert (first.notes, first.actions) == ("Good progress.", "Finish the analytics quiz.")
    assert first.agenda["version"] == 1  # recorded unprepared: the agenda is gathered then
    assert [event.kind for event in events_for(first)] == [EventKind.MEETING_HELD]
    held_at = first.held_at

    again = client.post(f"/academy/meetings/{first.pk}/record/", {"notes": "Changed"}, follow=True)
    assert "This meeting has already been recorded" in again.content.decode()
    assert (
        api_as(mentor).post(f"/academy/meetings/{first.pk}/record", {"notes": "x"}).status_code
        == 409
    )
    first.refresh_from_db()
    assert (first.notes, first.held_at) == ("Good progress.", held_at)
    assert len(events_for(first)) == 1

    by_head = api_as(head_of_support).post(
        f"/academy/meetings/{second.pk}/record", {"notes": "Covered for the mentor.", "actions": ""}
    )
    assert by_head.status_code == 200
    assert by_head.json()["notes"] == "Covered for the mentor."
    assert by_head.json()["held_at"] is not None
