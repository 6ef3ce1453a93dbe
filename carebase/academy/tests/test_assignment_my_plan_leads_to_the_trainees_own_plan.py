"""`/academy/my-plan/` takes a trainee to their current plan; someone
without one gets a page that says so; a customer is refused."""

from datetime import date

import pytest

from carebase.academy.tests.academy_helpers import make_assignment
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_each_finds_their_own(mentor, trainee, agent, customer):
    assignment = make_assignment(trainee, mentor, date(2026, 11, 9))
    answer = client_for(trainee).get("/academy/my-plan/")
    assert answer.status_code == 302
    assert answer["Location"] == f"/academy/assignments/{assignment.pk}/"
    empty = client_for(agent).get("/academy/my-plan/")
    assert empty.status_code == 200 and "You have no onboarding plan" in empty.content.decode()
    assert client_for(customer).get("/academy/my-plan/").status_code == 403
