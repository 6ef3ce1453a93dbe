"""A plan's page shows each day with its items, its minutes against the
plan's working day (lunch and admin included, so days are realistic), and
warns when a day is longer than the working day. Items are reordered,
edited, deleted and the plan copied from there."""

import re

import pytest

from carebase.academy.models import Plan, PlanItem
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _day(page, number):
    return re.search(
        rf'<section class="card plan-day" id="day-{number}".*?</section>', page, re.S
    ).group(0)


def test_an_overlong_day_is_flagged(head_of_support):
    plan = Plan.objects.create(title="Support agent onboarding", day_minutes=480)
    for day, kind, title, minutes in [
        (1, "read", "Read the product guide", 240),
        (1, "lunch", "Lunch", 30),
        (1, "task", "Configure a test project", 240),
        (2, "shadow", "Shadow calls", 300),
        (2, "admin", "Admin", 30),
    ]:
        PlanItem.objects.create(plan=plan, day=day, kind=kind, title=title, minutes=minutes)
    client = client_for(head_of_support)
    page = client.get(f"/academy/plans/{plan.pk}/").content.decode()
    first, second = _day(page, 1), _day(page, 2)
    assert "510 of 480 min" in first and "Over the working day by 30 min" in first
    assert "work 480, lunch and admin 30" in first
    assert "330 of 480 min" in second and "Over the working day" not in second
    assert "Lunch" in first and "Admin" in second


def test_items_are_reordered_edited_deleted_and_the_plan_copied(head_of_support):
    plan = Plan.objects.create(title="Support agent onboarding")
    first = PlanItem.objects.create(plan=plan, day=1, position=0, kind="task", title="First")
    second = PlanItem.objects.create(plan=plan, day=1, position=1, kind="task", title="Second")
    client = client_for(head_of_support)
    client.post(f"/academy/plan-items/{second.pk}/move/", {"direction": "up"})
    assert list(plan.items.values_list("title", flat=True)) == ["Second", "First"]
    edited = client.post(
        f"/academy/plan-items/{first.pk}/edit/",
        {"day": 2, "kind": "setup", "title": "Install the softphone", "minutes": 45},
    )
    assert edited.status_code == 302
    assert client.post(f"/academy/plan-items/{second.pk}/delete/").status_code == 302
    assert list(plan.items.values_list("day", "kind", "title", "minutes")) == [
        (2, "setup", "Install the softphone", 45)
    ]
    copied = client.post(f"/academy/plans/{plan.pk}/copy/")
    copy = Plan.objects.exclude(pk=plan.pk).get()
    assert copied["Location"] == f"/academy/plans/{copy.pk}/"
    assert copy.title == "Support agent onboarding (copy)"
    assert list(copy.items.values_list("day", "kind", "title")) == [
        (2, "setup", "Install the softphone")
    ]


def test_a_plan_is_created_and_edited(head_of_support):
    client = client_for(head_of_support)
    made = client.post(
        "/academy/plans/new/",
        {"title": "CS manager onboarding", "role": "cs_manager", "day_minutes": 450},
    )
    plan = Plan.objects.get()
    assert made["Location"] == f"/academy/plans/{plan.pk}/"
    assert (plan.role, plan.day_minutes) == ("cs_manager", 450)
    refused = client.post(
        f"/academy/plans/{plan.pk}/edit/", {"title": "X", "role": "cs_manager", "day_minutes": 5}
    )
    assert refused.status_code == 200 and "greater than or equal to 60" in refused.content.decode()
    listing = client.get("/academy/plans/").content.decode()
    assert f'data-plan="{plan.pk}"' in listing and "CS manager onboarding" in listing
