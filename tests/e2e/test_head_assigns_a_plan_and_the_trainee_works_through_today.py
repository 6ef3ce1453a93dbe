"""A head assigns an onboarding plan to a trainee with a mentor; the trainee
signs in, finds today's items, opens the article through the plan and
confirms reading it, and the progress moves; the mentor finds the trainee
on the trainees page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carebase.academy.models import Plan, PlanItem
from carebase.academy.progress import is_working_day
from carebase.core.roles import Role
from carebase.kb.tests.kb_helpers import article
from carebase.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _last_working_day():
    """Today, or the last working day before it: the plan's day 1 is today."""
    day = timezone.localdate()
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def test_the_trainee_reads_todays_article_and_the_mentor_sees_the_progress(signed_in):
    make_user("kasia", Role.HEAD_OF_SUPPORT, first_name="Kasia", last_name="Head")
    make_user("marek", Role.MENTOR, first_name="Marek", last_name="Mentor")
    trainee = make_user("tomek", Role.TRAINEE, first_name="Tomek", last_name="Nowak")
    guide = article("Nagrywanie rozmów", "Rozmowy nagrywamy w chmurze.", visibility="internal")
    plan = Plan.objects.create(title="Support agent onboarding")
    PlanItem.objects.create(
        plan=plan, day=1, kind="read", title="Read about recordings", article=guide, minutes=30
    )
    PlanItem.objects.create(plan=plan, day=1, kind="lunch", title="Lunch", minutes=30)
    PlanItem.objects.create(
        plan=plan, day=1, kind="task", title="Configure a test project", minutes=60
    )
    PlanItem.objects.create(plan=plan, day=2, kind="shadow", title="Shadow two calls")

    head = signed_in("kasia")
    head.goto("/academy/assign/")
    head.get_by_role("combobox", name="Plan").select_option(label="Support agent onboarding")
    head.get_by_role("combobox", name="Trainee").select_option(label="Tomek Nowak (tomek)")
    head.get_by_role("combobox", name="Mentor").select_option(label="Marek Mentor (marek)")
    head.get_by_label("Start date").fill(_last_working_day().isoformat())
    head.get_by_role("button", name="Assign").click()
    expect(head.locator(".messages")).to_contain_text(
        "Support agent onboarding assigned to Tomek Nowak"
    )
    expect(head).to_have_url(re.compile(r"/academy/assignments/\d+/$"))

    reader = signed_in("tomek")
    reader.goto("/academy/my-plan/")
    expect(reader.get_by_role("heading", name="My plan")).to_be_visible()
    today = reader.locator("#today")
    expect(today.get_by_role("heading")).to_contain_text("Today: day 1")
    expect(today).to_contain_text("Read about recordings")
    expect(today).to_contain_text("Configure a test project")
    expect(today).not_to_contain_text("Shadow two calls")
    expect(reader.locator("#progress [data-percent]")).to_have_text("0%")
    expect(today.get_by_role("button", name="I have read it")).to_be_disabled()

    today.get_by_role("button", name="Open the article").click()
    expect(reader).to_have_url(re.compile(rf"/kb/{guide.pk}/$"))
    expect(reader.get_by_role("heading", name="Nagrywanie rozmów")).to_be_visible()

    reader.goto("/academy/my-plan/")
    today = reader.locator("#today")
    today.get_by_role("button", name="I have read it").click()
    expect(reader.locator(".messages")).to_contain_text("Done: Read about recordings.")
    expect(reader.locator("#today")).to_contain_text("read version 1 on")
    # 30 of 120 minutes of work: lunch does not count.
    expect(reader.locator("#progress [data-percent]")).to_have_text("25%")

    mentor = signed_in("marek")
    mentor.get_by_role("navigation", name="Main").get_by_role("link", name="Academy").click()
    mentor.get_by_role("link", name="Trainees").click()
    row = mentor.locator(f'tr[data-trainee="{trainee.pk}"]')
    expect(row).to_contain_text("Tomek Nowak")
    expect(row).to_contain_text("Support agent onboarding")
    expect(row.locator("[data-percent]")).to_contain_text("25%")
    expect(row).to_contain_text("on track")
