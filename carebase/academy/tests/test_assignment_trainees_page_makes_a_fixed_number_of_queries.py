"""The trainees page and its API make the same number of queries for one
trainee as for many: progress is counted by the database, not per row."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebase.academy.actions_plans import do_complete_item
from carebase.academy.tests.academy_helpers import make_assignment, make_plan
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def _queries(call):
    with CaptureQueriesContext(connection) as captured:
        answer = call()
    assert answer.status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_trainees(head_of_support, mentor, api_as):
    plan = make_plan(days=5)
    client = client_for(head_of_support)
    api = api_as(head_of_support)
    api.get("/academy/progress")  # the token's first use is written down once
    first = make_assignment(make_user("trainee0", Role.TRAINEE), mentor, date(2026, 11, 2), plan)
    do_complete_item(first.items.filter(kind="task").first(), first.trainee)
    page_for_one = _queries(lambda: client.get("/academy/trainees/"))
    api_for_one = _queries(lambda: api.get("/academy/progress"))

    for number in range(1, 8):
        start = date(2026, 11, 2 + number)  # different start dates: other plan days
        make_assignment(make_user(f"trainee{number}", Role.TRAINEE), mentor, start, plan)
    page_for_eight = _queries(lambda: client.get("/academy/trainees/"))
    api_for_eight = _queries(lambda: api.get("/academy/progress"))

    assert page_for_eight == page_for_one
    assert api_for_eight == api_for_one
    assert page_for_one <= 8
