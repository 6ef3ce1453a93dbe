import re
from datetime import date

import pytest
from playwright.sync_api import expect

from carebase.academy.tests.academy_helpers import make_assignment, make_mixed_quiz
from carebase.core.roles import Role
from carebase.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainee_takes_a_mixed_quiz_and_the_mentor_opens_the_shared_review(signed_in):
    trainee = make_user("ola", Role.TRAINEE, first_name="Ola", last_name="Nowak")
    mentor = make_user("marek", Role.MENTOR, first_name="Marek")
    make_assignment(trainee, mentor, date(2025, 3, 3))
    quiz = make_mixed_quiz(review_shows="answers", time_limit_minutes=20)

    page = signed_in("ola")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Academy").click()
    page.get_by_role("link", name=quiz.title).first.click()
    expect(page.locator("[data-outline=questions]")).to_have_text("5")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.locator("#countdown")).to_contain_text(re.compile(r"Time left: (20:00|19:5\d)"))

    # Submitting with questions unanswered asks first; declined, nothing is sent.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Submit").click()
    assert asked == [
        "Questions not answered: 5. Submit anyway? Answers cannot change after submitting."
    ]
    expect(page.locator("#countdown")).to_be_visible()

    page.get_by_role("group", name="Question 1 of 5").get_by_label("Right", exact=True).check()
    multiple = page.get_by_role("group", name="Question 2 of 5")
    multiple.get_by_label("Right A").check()
    page.get_by_role("group", name="Question 3 of 5").get_by_label("True").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".message.success")).to_have_text("Your answers are saved.")
    expect(
        page.get_by_role("group", name="Question 1 of 5").get_by_label("Right", exact=True)
    ).to_be_checked()

    page.get_by_label("Your answer").fill("15 minut")
    page.get_by_label("What you would do").fill("I let the client finish, then say what I will do.")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".message.error")).to_contain_text("Question 5: say why, then submit.")
    page.get_by_label("Why").fill("Interrupting an angry client makes it worse.")
    page.get_by_role("button", name="Submit").click()

    expect(page.locator(".message.success")).to_have_text("Submitted.")
    expect(page.locator("[data-result=status]")).to_contain_text("Awaiting the mentor's grading")
    expect(page.locator("[data-verdict]")).to_have_count(5)
    expect(page.locator("#question-2 [data-verdict]")).to_contain_text("Partly right")
    expect(page.locator("#question-2 [data-verdict]")).to_contain_text("0.5 of 1 point")
    expect(page.locator("#question-5 [data-verdict]")).to_contain_text(
        "Waiting for the mentor's grading"
    )
    expect(page.locator("#question-1")).to_contain_text("Because the article says so.")

    share = page.locator("#share")
    share.get_by_label("Which answers were right and wrong").check()
    share.get_by_label("The link works for").select_option(label="1 day")
    share.get_by_role("button", name="Create a link").click()
    link = page.get_by_label("Copy this link and send it").input_value()
    assert re.search(r"/academy/shared/\d+-[^/]+/$", link)

    reader = signed_in("marek")
    reader.goto(link)
    expect(reader.locator("[data-shared]")).to_contain_text("Shared by Ola Nowak")
    expect(reader.locator("[data-shared]")).to_contain_text("Which answers were right and wrong")
    expect(reader.locator("#question-1")).to_contain_text("Where are recordings kept?")
    expect(reader.locator("#question-1")).not_to_contain_text("Because the article says so.")
    reader.goto(link.replace("/shared/", "/shared/9"))
    expect(reader.get_by_role("heading", level=1)).to_have_text(
        "This link is invalid or has expired"
    )
