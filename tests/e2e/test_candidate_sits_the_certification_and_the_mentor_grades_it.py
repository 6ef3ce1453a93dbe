import re
from datetime import date

import pytest
from playwright.sync_api import expect

from carebase.academy.models import BlueprintRow, Difficulty, QuestionKind, Section
from carebase.academy.tests.academy_helpers import (
    make_assignment,
    make_certification,
    make_question,
)
from carebase.core.roles import Role
from carebase.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _exam():
    """Two single-choice questions and a scenario, drawn from the pool, one
    question per page."""
    exam = make_certification(
        per_band=2,
        sections=("product",),
        blueprint={Difficulty.EASY: 1, Difficulty.MEDIUM: 1},
        one_per_page=True,
        time_limit_minutes=30,
        valid_days=365,
    )
    section = Section.objects.get(slug="product")
    for number in range(2):
        make_question(
            section,
            QuestionKind.SCENARIO,
            f"Pool scenario {number}: a client threatens to leave. What do you do?",
            difficulty=Difficulty.HARD,
            in_pool=True,
        )
    BlueprintRow.objects.create(quiz=exam, section=section, difficulty=Difficulty.HARD, count=1)
    return exam


def test_a_candidate_sits_the_exam_the_mentor_grades_it_and_anyone_verifies(signed_in, page):
    trainee = make_user("ola", Role.TRAINEE, first_name="Ola", last_name="Nowak")
    mentor = make_user("marek", Role.MENTOR, first_name="Marek")
    make_assignment(trainee, mentor, date(2025, 3, 3))
    exam = _exam()

    candidate = signed_in("ola")
    candidate.goto(f"/academy/quizzes/{exam.pk}/")
    expect(candidate.locator("[data-outline=questions]")).to_contain_text("3")
    candidate.get_by_role("button", name="Start the exam").click()
    for number in range(1, 4):
        question = candidate.get_by_role("group", name=f"Question {number} of 3")
        expect(question).to_be_visible()
        expect(candidate.locator("fieldset.academy-question")).to_have_count(1)
        if question.get_by_role("radio").count():
            question.get_by_label("Right", exact=True).check()
        else:
            question.get_by_label("What you would do").fill("I ask what made them unhappy.")
            question.get_by_label("Why").fill("Knowing the cause lets me offer a fix.")
        if number < 3:
            candidate.get_by_role("button", name="Next →").click()
    candidate.get_by_role("button", name="Question 1, answered").click()
    expect(candidate.get_by_role("group", name="Question 1 of 3")).to_be_visible()
    expect(candidate.get_by_role("button", name="Question 3, answered")).to_be_visible()
    candidate.get_by_role("button", name="Submit the exam").click()
    expect(candidate.locator("[data-result=status]")).to_contain_text(
        "Awaiting the mentor's grading"
    )
    expect(candidate.locator("#certificate")).to_have_count(0)

    grader = signed_in("marek")
    grader.get_by_role("navigation", name="Main").get_by_role("link", name="Academy").click()
    grader.get_by_role("link", name=re.compile(r"1 attempt has scenario answers to grade")).click()
    grader.get_by_role("link", name="Support agent certification #1").click()
    expect(grader.locator("[data-taker]")).to_contain_text("Taken by Ola Nowak")
    form = grader.locator("form.grade-form")
    form.get_by_label("Acknowledges the client at once").fill("1")
    form.get_by_label("Names the next step and when").fill("2")
    form.get_by_label("Feedback for the trainee").fill("Clear and kind.")
    form.get_by_role("button", name="Save the grade").click()
    expect(grader.locator(".message.success")).to_contain_text("is graded")
    expect(grader.locator("[data-result=outcome]")).to_contain_text("Passed")

    candidate.reload()
    expect(candidate.locator("[data-result=outcome]")).to_contain_text("Passed")
    expect(candidate.locator("[data-feedback]")).to_contain_text("Clear and kind.")
    code = candidate.locator("#certificate code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)

    # The public page, for a visitor who is not signed in.
    page.goto(f"/academy/verify/{code.replace('-', '').lower()}/")
    expect(page.locator("[data-state]")).to_have_text("Valid")
    expect(page.locator("[data-holder]")).to_have_text("Ola Nowak")
    expect(page.get_by_text("Support agent certification")).to_be_visible()
