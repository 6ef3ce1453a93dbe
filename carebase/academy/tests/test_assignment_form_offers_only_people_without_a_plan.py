"""The assign form offers as trainees only staff not already on an
unfinished plan (a second plan would be refused anyway)."""

from datetime import date

import pytest

from carebase.academy.tests.academy_helpers import make_assignment
from carebase.core.roles import Role
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def test_someone_on_a_plan_is_not_offered(head_of_support, trainee, mentor):
    make_assignment(trainee, mentor, date.today())
    newcomer = make_user("newcomer", Role.TRAINEE)
    form = client_for(head_of_support).get("/academy/assign/").context["form"]
    offered = set(form.fields["trainee"].queryset.values_list("pk", flat=True))
    assert newcomer.pk in offered and trainee.pk not in offered
