"""Reading an article is recorded when it is opened through the plan and
then confirmed: "I have read it" is refused before the opening, the opening
leads to the article's page, and the confirmation keeps the article's live
version. A mentor opening it records nothing for the trainee."""

from datetime import date

import pytest

from carebase.academy.models import AssignmentItem, Plan, PlanItem
from carebase.academy.tests.academy_helpers import make_assignment
from carebase.core.events import events_for
from carebase.kb.actions import ArticleData, do_update_article
from carebase.kb.tests.kb_helpers import article
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _reading_plan(text):
    plan = Plan.objects.create(title="Read first")
    PlanItem.objects.create(
        plan=plan, day=1, kind="read", title="Call recording", article=text, minutes=20
    )
    return plan


def test_confirming_needs_the_opening_first_and_keeps_the_version_read(mentor, trainee):
    text = article("Nagrywanie rozmów", "Jak nagrywamy.", visibility="internal")
    assignment = make_assignment(trainee, mentor, date(2026, 11, 9), _reading_plan(text))
    item = assignment.items.get()
    client = client_for(trainee)

    refused = client.post(f"/academy/assignment-items/{item.pk}/done/", follow=True)
    assert "Open the article through your plan first" in refused.content.decode()
    item.refresh_from_db()
    assert item.opened_at is None and item.done_at is None

    # The mentor looks at the article: nothing is recorded for the trainee.
    looked = client_for(mentor).post(f"/academy/assignment-items/{item.pk}/open/")
    assert looked.status_code == 302 and looked["Location"] == f"/kb/{text.pk}/"
    item.refresh_from_db()
    assert item.opened_at is None

    opened = client.post(f"/academy/assignment-items/{item.pk}/open/")
    assert opened.status_code == 302 and opened["Location"] == f"/kb/{text.pk}/"
    item.refresh_from_db()
    assert item.opened_at is not None and item.done_at is None

    # A new version is published between opening and confirming: the
    # version confirmed is the one live when the trainee confirms.
    do_update_article(
        text, ArticleData.of(text, body="Jak nagrywamy, wersja 2."), None, publish=True
    )
    confirmed = client.post(f"/academy/assignment-items/{item.pk}/done/", follow=True)
    assert confirmed.status_code == 200
    item = AssignmentItem.objects.get(pk=item.pk)
    assert item.done_at is not None
    assert item.article_version_read == 2
    assert [event.kind for event in events_for(assignment)].count("academy.item_done") == 1


def test_opening_is_a_post_and_never_a_link_a_crawler_could_follow(mentor, trainee):
    text = article("Przekierowania", "…", visibility="internal")
    assignment = make_assignment(trainee, mentor, date(2026, 11, 9), _reading_plan(text))
    item = assignment.items.get()
    answer = client_for(trainee).get(f"/academy/assignment-items/{item.pk}/open/")
    assert answer.status_code == 405
    item.refresh_from_db()
    assert item.opened_at is None
