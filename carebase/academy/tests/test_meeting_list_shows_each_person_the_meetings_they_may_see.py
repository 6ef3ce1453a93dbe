"""The meetings page lists a mentor's meetings across their mentees (not
another mentor's), every meeting for a manager, and a trainee's own; the
same scope holds over the API. A mentor schedules a meeting with one of
their mentees, not with another mentor's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carebase.academy.models import Assignment, Meeting
from carebase.academy.tests.academy_helpers import make_plan
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def test_each_person_sees_their_own_scope_of_meetings(mentor, trainee, head_of_support, api_as):
    other_mentor = make_user("mentor2", Role.MENTOR)
    second = make_user("trainee2", Role.TRAINEE, first_name="Ola")
    third = make_user("trainee3", Role.TRAINEE, first_name="Zenon")
    now = timezone.now()
    mine_a = Assignment.objects.create(
        plan=make_plan(), trainee=trainee, mentor=mentor, start_date=now.date()
    )
    mine_b = Assignment.objects.create(
        plan=make_plan("B"), trainee=second, mentor=mentor, start_date=now.date()
    )
    theirs = Assignment.objects.create(
        plan=make_plan("C"), trainee=third, mentor=other_mentor, start_date=now.date()
    )
    meetings = {
        assignment.pk: Meeting.objects.create(assignment=assignment, scheduled_at=now)
        for assignment in (mine_a, mine_b, theirs)
    }

    def listed(user):
        page = client_for(user).get("/academy/meetings/").content.decode()
        on_page = {pk for pk, meeting in meetings.items() if f'data-meeting="{meeting.pk}"' in page}
        over_api = {
            row["assignment"] for row in api_as(user).get("/academy/meetings").json()["items"]
        }
        assert on_page == over_api
        return on_page

    assert listed(mentor) == {mine_a.pk, mine_b.pk}
    assert listed(head_of_support) == {mine_a.pk, mine_b.pk, theirs.pk}
    assert listed(trainee) == {mine_a.pk}
    assert listed(third) == {theirs.pk}

    client = client_for(mentor)
    page = client.get("/academy/meetings/").content.decode()
    assert f'<option value="{mine_b.pk}">' in page and f'<option value="{theirs.pk}">' not in page
    when = timezone.localtime() + timedelta(days=30)
    scheduled = client.post(
        "/academy/meetings/schedule/",
        {"assignment": mine_b.pk, "scheduled_at": when.strftime("%Y-%m-%dT10:00")},
    )
    meeting = Meeting.objects.filter(assignment=mine_b).latest("pk")
    assert scheduled["Location"] == f"/academy/meetings/{meeting.pk}/"
    assert timezone.localtime(meeting.scheduled_at).strftime("%Y-%m-%d %H:%M") == when.strftime(
        "%Y-%m-%d 10:00"
    )
    client.post(
        "/academy/meetings/schedule/", {"assignment": theirs.pk, "scheduled_at": "2030-05-06T10:00"}
    )
    assert Meeting.objects.filter(assignment=theirs).count() == 1
    assert (
        "Schedule a meeting" not in client_for(trainee).get("/academy/meetings/").content.decode()
    )
