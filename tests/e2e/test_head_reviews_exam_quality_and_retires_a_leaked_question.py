import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carebase.academy.models import QuestionStatus
from carebase.academy.tests.academy_helpers import (
    make_graded_attempt,
    make_question,
    make_quiz,
    make_section,
)
from carebase.core.roles import Role
from carebase.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seed_attempts(quiz, takers: int) -> None:
    """Graded first attempts where the last question's key is reversed: the
    stronger a taker, the likelier they "miss" it."""
    now = timezone.now() - timedelta(days=2)
    for k in range(takers):
        marks = [int(k >= 3), int(k >= 5), int(k >= 7), int(k < takers // 2)]
        taker = make_user(f"trainee{k}", Role.TRAINEE)
        make_graded_attempt(quiz, taker, marks, submitted_at=now)


def test_head_finds_a_suspect_question_in_the_item_analysis_and_retires_it(signed_in):
    make_user("kasia", Role.HEAD_OF_SUPPORT, first_name="Kasia")
    section = make_section("call-tracking")
    sound = [make_question(section, text=f"Call tracking basics {n}") for n in range(3)]
    suspect = make_question(section, text="Which number does a visitor from AdWords see?")
    quiz = make_quiz([*sound, suspect], title="Call tracking")
    seed_attempts(quiz, takers=12)

    head = signed_in("kasia")
    head.get_by_role("navigation", name="Main").get_by_role("link", name="Academy").click()
    head.get_by_role("link", name="Question bank").click()
    head.get_by_role("link", name="Quizzes and exams").click()
    head.get_by_role("link", name="Item analysis Call tracking").click()
    expect(head).to_have_url(re.compile(rf"/academy/manage/quizzes/{quiz.pk}/analysis/$"))
    expect(head.locator("#exam-figures [data-figure='takers']")).to_contain_text("12")
    row = head.locator(f'tr[data-question="{suspect.pk}"]')
    expect(row.locator('[data-flag="wrong-key"]')).to_have_text("likely wrong key")
    expect(row).to_contain_text("n=12, low confidence")
    expect(head.locator("tr.flagged")).to_have_count(1)

    row.get_by_role("link", name="Which number does a visitor from AdWords see?").click()
    expect(head).to_have_url(re.compile(rf"/academy/questions/{suspect.pk}/$"))
    expect(head.locator(f'tr[data-quiz="{quiz.pk}"] [data-flag="wrong-key"]')).to_be_visible()
    head.get_by_label("Why (optional)").fill("Shared in a chat group")
    head.get_by_role("button", name="Mark as leaked").click()
    expect(head.locator(".messages")).to_contain_text("retired as leaked")
    expect(head.locator("[data-status]").first).to_have_text("Retired")
    expect(head.locator("[data-status-note]")).to_have_text("Shared in a chat group")
    expect(head.get_by_role("button", name="Mark as leaked")).to_have_count(0)

    suspect.refresh_from_db()
    assert suspect.status == QuestionStatus.RETIRED and suspect.leaked
