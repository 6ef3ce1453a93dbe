"""A scheduled draft or change goes live at its moment; an article not
reviewed for its period raises one review item for its owner."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from carebase.kb.actions import (
    ArticleData,
    do_mark_reviewed,
    do_schedule_article,
    do_update_article,
    publish_due_articles,
    raise_due_reviews,
)
from carebase.kb.models import Article, ArticleStatus, ReviewItem, ReviewKind
from carebase.kb.tests.kb_helpers import article

pytestmark = pytest.mark.django_db


def test_a_scheduled_draft_goes_live_at_its_moment(head_of_support):
    draft = article("Nowości w wersji 4.2", publish=False)
    do_schedule_article(draft, timezone.now() + timedelta(hours=2), head_of_support)
    assert publish_due_articles() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        assert publish_due_articles() == 1
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.PUBLISHED
    assert draft.publish_at is None
    assert draft.versions.count() == 1


def test_a_scheduled_change_replaces_the_live_text_at_its_moment(head_of_support):
    live = article("Cennik", "Stare ceny.")
    do_update_article(
        live,
        ArticleData(title="Cennik", body="Nowe ceny.", visibility="public"),
        head_of_support,
        publish_at=timezone.now() + timedelta(days=1),
    )
    live.refresh_from_db()
    assert live.body.startswith("Stare")
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        publish_due_articles()
    live.refresh_from_db()
    assert live.body == "Nowe ceny."
    assert live.versions.first().author == head_of_support


def test_an_article_not_reviewed_for_its_period_reminds_its_owner_once(agent, settings):
    settings.KB_REVIEW_DAYS = 30
    live = article("Integracja z HubSpot", owner=agent)
    assert raise_due_reviews() == 0
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert raise_due_reviews() == 1
        assert raise_due_reviews() == 0  # one open item per article
        item = ReviewItem.objects.get(article=live)
        assert item.kind == ReviewKind.DUE
        do_mark_reviewed(live, agent)
    item.refresh_from_db()
    assert item.resolved_at is not None


def test_an_article_may_set_its_own_review_period(settings):
    settings.KB_REVIEW_DAYS = 365
    live = article("Cennik Enterprise", review_every_days=7)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert raise_due_reviews() == 1
    assert Article.objects.get(pk=live.pk).review_due_at() is not None
