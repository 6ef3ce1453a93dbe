"""A role-play grade sent twice (a double click, a replayed request) is one
run; the same grades given again later are a new run."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from carebase.academy.models import RolePlay, RolePlayCard
from carebase.academy.tests.academy_helpers import make_assignment
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_a_replay_within_minutes_is_the_same_run(mentor, trainee):
    make_assignment(trainee, mentor, date.today())
    card = RolePlayCard.objects.create(
        title="Angry", situation="x", rubric=[{"criterion": "a", "points": 2}]
    )
    client = client_for(mentor)
    data = {"trainee": trainee.pk, "score_0": 2, "notes": "Calm"}
    client.post(f"/academy/roleplays/{card.pk}/runs/", data)
    client.post(f"/academy/roleplays/{card.pk}/runs/", data)
    assert RolePlay.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        client.post(f"/academy/roleplays/{card.pk}/runs/", data)
    assert RolePlay.objects.count() == 2
