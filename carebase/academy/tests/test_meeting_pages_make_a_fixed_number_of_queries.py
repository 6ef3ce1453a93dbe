"""The meetings list, a prepared meeting's page, the role-play cards and a
card's page make the same number of queries however many meetings,
mentees, cards and past runs there are: none per row."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carebase.academy.actions_mentoring import do_prepare_meeting, do_run_role_play
from carebase.academy.models import Assignment, Meeting, RolePlayCard, TraineeQuestion
from carebase.academy.tests.academy_helpers import make_plan, make_section
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def _mentee(mentor, number):
    trainee = make_user(f"trainee-{number}", Role.TRAINEE)
    assignment = Assignment.objects.create(
        plan=make_plan(f"Plan {number}", days=1),
        trainee=trainee,
        mentor=mentor,
        start_date=timezone.localdate(),
    )
    for week in range(2):
        meeting = Meeting.objects.create(
            assignment=assignment, scheduled_at=timezone.now() + timedelta(days=7 * week)
        )
        if week == 0:
            meeting.held_at = timezone.now()
            meeting.actions = "Read the article."
            meeting.save()
    TraineeQuestion.objects.create(assignment=assignment, text=f"Question {number}")
    return assignment


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_do_not_query_per_row(mentor):
    client = client_for(mentor)
    section = make_section()
    card = RolePlayCard.objects.create(
        section=section, title="Card 0", situation="…", rubric=[{"criterion": "A", "points": 1}]
    )
    first = _mentee(mentor, 0)
    meeting = first.meetings.filter(held_at=None).get()
    do_run_role_play(card, first.trainee, mentor, [1], "")
    do_prepare_meeting(meeting, mentor)
    urls = [
        "/academy/meetings/",
        f"/academy/meetings/{meeting.pk}/",
        "/academy/roleplays/",
        f"/academy/roleplays/{card.pk}/",
    ]
    few = [_queries(client, url) for url in urls]

    for number in range(1, 6):
        assignment = _mentee(mentor, number)
        RolePlayCard.objects.create(
            section=make_section(f"section-{number}", number),
            title=f"Card {number}",
            situation="…",
            rubric=[{"criterion": "A", "points": 1}],
        )
        do_run_role_play(card, assignment.trainee, mentor, [1], "")
    do_prepare_meeting(meeting, mentor)
    assert [_queries(client, url) for url in urls] == few
