"""Found in review: a pending edit must not come back after unpublishing,
nor be overwritten by a revert, and a schedule with nothing left to publish
ends."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carebase.kb.actions import (
    ArticleData,
    do_publish_article,
    do_revert_article,
    do_unpublish_article,
    do_update_article,
)
from carebase.kb.tests.kb_helpers import article

pytestmark = pytest.mark.django_db


def test_a_draft_edited_after_unpublishing_is_what_gets_published():
    item = article("Faktury", "v1")
    do_update_article(item, ArticleData.of(item, body="PENDING body"), None)
    do_unpublish_article(item, None)
    item.refresh_from_db()
    do_update_article(item, ArticleData.of(item, body="Draft body"), None)
    do_publish_article(item, None)
    item.refresh_from_db()
    assert item.body == "Draft body"
    assert item.pending is None


def test_a_revert_refuses_to_overwrite_unpublished_changes():
    item = article("Faktury", "v1")
    do_update_article(item, ArticleData.of(item, body="v2"), None, publish=True)
    item.refresh_from_db()
    do_update_article(item, ArticleData.of(item, body="work in progress"), None)
    with pytest.raises(ValidationError):
        do_revert_article(item, 1, None)
    item.refresh_from_db()
    assert item.pending["body"] == "work in progress"


def test_a_schedule_ends_when_the_change_is_taken_back():
    item = article("Cennik", "Stare.")
    later = timezone.now() + timedelta(days=1)
    do_update_article(item, ArticleData.of(item, body="Nowe."), None, publish_at=later)
    item.refresh_from_db()
    assert item.publish_at == later
    do_update_article(item, ArticleData.of(item, body=item.body), None)
    item.refresh_from_db()
    assert item.pending is None and item.publish_at is None


def test_an_editor_discards_unpublished_changes_from_the_page(head_of_support):
    from carebase.testing import client_for

    item = article("Cennik", "Stare.")
    do_update_article(item, ArticleData.of(item, body="Nowe."), None)
    page = client_for(head_of_support).get(f"/kb/{item.pk}/").content.decode()
    assert f"/kb/{item.pk}/discard/" in page
    client_for(head_of_support).post(f"/kb/{item.pk}/discard/")
    item.refresh_from_db()
    assert item.pending is None
    assert item.body == "Stare."
