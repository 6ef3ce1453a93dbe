"""A mentor opens the coming meeting with their trainee, prepares its agenda
and finds the trainee's wrong answer and the question they wrote down,
records notes and actions and marks it held; then opens the role-play card
the agenda suggests for the trainee's weakest section and grades a run."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carebase.academy.actions import GivenAnswer, do_start_attempt, do_submit_attempt
from carebase.academy.actions_mentoring import do_ask_question
from carebase.academy.models import Assignment, Choice, Meeting, RolePlay, RolePlayCard
from carebase.academy.tests.academy_helpers import make_plan, make_question, make_quiz, make_section
from carebase.core.roles import Role
from carebase.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mentor_prepares_holds_a_meeting_and_grades_a_role_play(signed_in):
    mentor = make_user("marta", Role.MENTOR, first_name="Marta", last_name="Mentor")
    trainee = make_user("tomek", Role.TRAINEE, first_name="Tomek", last_name="Nowy")
    assignment = Assignment.objects.create(
        plan=make_plan(), trainee=trainee, mentor=mentor, start_date=timezone.localdate()
    )
    meeting = Meeting.objects.create(
        assignment=assignment, scheduled_at=timezone.now() + timedelta(hours=2)
    )
    section = make_section("call-tracking", 1)
    question = make_question(
        section,
        text="Where are call recordings kept?",
        choices=[("In the cloud archive", True), ("On the desk phone", False)],
    )
    attempt = do_start_attempt(make_quiz([question], title="Call tracking basics"), trainee)
    wrong = Choice.objects.get(question=question, is_correct=False).pk
    do_submit_attempt(attempt, {question.pk: GivenAnswer(chosen=[wrong])})
    do_ask_question(assignment, "How do I transfer a call to another team?", trainee)
    card = RolePlayCard.objects.create(
        section=section,
        language="en",
        title="A client cannot find a recording",
        situation="The client needs last Tuesday's call for a dispute, today.",
        tricky_questions=["Can you send it to my private email?"],
        rubric=[
            {"criterion": "Finds the recording", "points": 2},
            {"criterion": "Keeps to the recording rules", "points": 1},
        ],
    )

    page = signed_in("marta")
    page.goto("/academy/meetings/")
    page.locator(f'tr[data-meeting="{meeting.pk}"]').get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/academy/meetings/{meeting.pk}/$"))
    expect(page.get_by_role("heading", name="Mentor meeting — Tomek Nowy")).to_be_visible()
    page.get_by_role("button", name="Prepare agenda").click()
    expect(
        page.get_by_text("The agenda is prepared from the evidence as it is now.")
    ).to_be_visible()

    agenda = page.locator("#agenda")
    wrong_row = agenda.locator("table.wrong-answers tbody tr")
    expect(wrong_row).to_have_count(1)
    expect(wrong_row).to_contain_text("Where are call recordings kept?")
    expect(wrong_row).to_contain_text("On the desk phone")
    expect(wrong_row).to_contain_text("In the cloud archive")
    expect(agenda.locator(".agenda-questions")).to_contain_text(
        "How do I transfer a call to another team?"
    )
    expect(agenda.get_by_role("button", name="Refresh agenda")).to_be_visible()

    page.get_by_label("Notes").fill("Recordings mixed up with voicemail; transfers explained.")
    page.get_by_label("Actions agreed").fill("Re-read the recordings article by Friday.")
    page.get_by_role("button", name="Mark held").click()
    expect(page.get_by_text("The meeting is recorded as held.")).to_be_visible()
    expect(page.locator(".meeting-notes")).to_contain_text("Recordings mixed up with voicemail")
    expect(page.locator(".meeting-actions")).to_contain_text("Re-read the recordings article")
    expect(page.get_by_role("button", name="Mark held")).to_have_count(0)
    expect(page.get_by_role("button", name="Refresh agenda")).to_have_count(0)

    page.get_by_role("link", name=re.compile("Run the role-play card")).click()
    expect(page).to_have_url(re.compile(rf"/academy/roleplays/{card.pk}/$"))
    expect(page.get_by_text("Can you send it to my private email?")).to_be_visible()
    page.get_by_label("Trainee").select_option(label="Tomek Nowy")
    page.get_by_label("Finds the recording (up to 2)").fill("2")
    page.get_by_label("Keeps to the recording rules (up to 1)").fill("0")
    page.get_by_label("Notes").fill("Offered to email it privately.")
    page.get_by_role("button", name="Save grade").click()
    expect(page.get_by_text("Role-play graded: Tomek Nowy scored 2 of 3.")).to_be_visible()
    expect(page.locator("ul.runs")).to_contain_text("Offered to email it privately.")
    run = RolePlay.objects.get()
    assert (run.trainee_id, run.rubric_scores, run.score) == (trainee.pk, [2, 0], 2)
