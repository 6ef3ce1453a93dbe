"""Mentors and managers write role-play cards: the situation, the tricky
questions one per line and the rubric as "points | criterion" lines (a line
that is not is refused, naming it). Cards are listed by section. Once a card
has been used, its rubric stays as it was (past scores are per criterion),
while its other words may still change."""

import pytest
from django.utils import timezone

from carebase.academy.actions_mentoring import do_run_role_play
from carebase.academy.models import Assignment, RolePlayCard
from carebase.academy.tests.academy_helpers import make_plan, make_section
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_a_mentor_writes_a_card_and_its_rubric_stays_once_used(mentor, head_of_support, trainee):
    product = make_section("product", 1)
    client = client_for(mentor)
    form = {
        "title": "A doubled invoice",
        "section": product.pk,
        "language": "en",
        "situation": "The client says the invoice doubled overnight.",
        "tricky_questions": "Will you refund me today?\n\nWhy did nobody warn me?\n",
        "rubric": "1 | Acknowledges the problem\n2 | Explains the billing period",
    }
    bad = client.post("/academy/roleplays/new/", {**form, "rubric": "Acknowledges the problem"})
    assert "Line 1: write the points, a bar and the criterion" in bad.content.decode()
    assert RolePlayCard.objects.count() == 0

    created = client.post("/academy/roleplays/new/", form)
    card = RolePlayCard.objects.get()
    assert created["Location"] == f"/academy/roleplays/{card.pk}/"
    assert card.tricky_questions == ["Will you refund me today?", "Why did nobody warn me?"]
    assert card.rubric == [
        {"criterion": "Acknowledges the problem", "points": 1},
        {"criterion": "Explains the billing period", "points": 2},
    ]
    listing = client_for(head_of_support).get("/academy/roleplays/").content.decode()
    assert "Product" in listing and f'data-card="{card.pk}"' in listing

    Assignment.objects.create(
        plan=make_plan(), trainee=trainee, mentor=mentor, start_date=timezone.localdate()
    )
    do_run_role_play(card, trainee, mentor, [1, 2], "")
    edit = f"/academy/roleplays/{card.pk}/edit/"
    assert "its rubric stays as it was" in client.get(edit).content.decode()
    changed = client.post(edit, {**form, "rubric": "3 | Acknowledges the problem"})
    assert "This card has been used in role-plays: its rubric stays as it was." in (
        changed.content.decode()
    )
    card.refresh_from_db()
    assert len(card.rubric) == 2

    retitled = client_for(head_of_support).post(edit, {**form, "title": "An invoice that doubled"})
    assert retitled.status_code == 302
    card.refresh_from_db()
    assert card.title == "An invoice that doubled" and len(card.rubric) == 2
