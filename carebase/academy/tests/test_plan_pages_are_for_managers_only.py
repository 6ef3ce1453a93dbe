"""The plan templates are written by managers (heads, admins): a mentor, an
agent, a trainee or a customer is refused (403) on every plan page and
change; a signed-out visitor is sent to sign in; a plan that does not exist
is not found."""

import pytest

from carebase.academy.tests.academy_helpers import make_plan
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _pages(plan):
    item = plan.items.first()
    return [
        "/academy/plans/",
        "/academy/plans/new/",
        f"/academy/plans/{plan.pk}/",
        f"/academy/plans/{plan.pk}/edit/",
        f"/academy/plans/{plan.pk}/items/new/",
        f"/academy/plan-items/{item.pk}/edit/",
        "/academy/assign/",
    ]


def _changes(plan):
    item = plan.items.first()
    return [
        f"/academy/plans/{plan.pk}/copy/",
        f"/academy/plan-items/{item.pk}/move/",
        f"/academy/plan-items/{item.pk}/delete/",
    ]


def test_managers_open_every_plan_page(admin, head_of_support):
    plan = make_plan()
    for manager in (admin, head_of_support):
        client = client_for(manager)
        assert [client.get(url).status_code for url in _pages(plan)] == [200] * 7


def test_everyone_else_is_refused(mentor, agent, trainee, customer):
    plan = make_plan()
    for person in (mentor, agent, trainee, customer):
        client = client_for(person)
        assert [client.get(url).status_code for url in _pages(plan)] == [403] * 7
        assert [client.post(url).status_code for url in _changes(plan)] == [403] * 3
    assert plan.items.count() == 6


def test_signed_out_visitors_are_sent_to_sign_in(client):
    answer = client.get("/academy/plans/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def test_a_plan_that_does_not_exist_is_not_found(head_of_support):
    client = client_for(head_of_support)
    assert client.get("/academy/plans/999999/").status_code == 404
    assert client.get("/academy/plan-items/999999/edit/").status_code == 404
