"""A trainee sees their own plan only: another trainee's assignment, and
each of its items, does not exist for them (404) on the pages and over the
API; nor for an agent, a customer, or a mentor who does not mentor that
trainee."""

from datetime import date

import pytest

from carebase.academy.tests.academy_helpers import make_assignment
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def test_strangers_find_nothing(mentor, trainee, agent, customer, api_as):
    other = make_user("trainee2", Role.TRAINEE)
    other_mentor = make_user("mentor2", Role.MENTOR)
    theirs = make_assignment(trainee, mentor, date(2026, 11, 9))
    make_assignment(other, other_mentor, date(2026, 11, 9))
    item = theirs.items.filter(kind="task").first()
    pages = [
        f"/academy/assignments/{theirs.pk}/",
        f"/academy/assignment-items/{item.pk}/edit/",
    ]
    posts = [
        f"/academy/assignment-items/{item.pk}/open/",
        f"/academy/assignment-items/{item.pk}/done/",
        f"/academy/assignment-items/{item.pk}/undo/",
        f"/academy/assignment-items/{item.pk}/remove/",
        f"/academy/assignment-items/{item.pk}/move/",
        f"/academy/assignments/{theirs.pk}/items/new/",
    ]
    for stranger in (other, other_mentor, agent, customer):
        client = client_for(stranger)
        assert [client.get(url).status_code for url in pages] == [404, 404]
        assert [client.post(url).status_code for url in posts] == [404] * 6
        api = api_as(stranger)
        assert api.get(f"/academy/assignments/{theirs.pk}").status_code == 404
        done = api.post(f"/academy/assignments/{theirs.pk}/items/{item.pk}/complete")
        assert done.status_code == 404
    item.refresh_from_db()
    assert item.done_at is None
    assert theirs.items.count() == 6

    # The trainee and their mentor do see it.
    assert client_for(trainee).get(pages[0]).status_code == 200
    assert client_for(mentor).get(pages[0]).status_code == 200
