"""A review item is settled by its article's owner or by an editor: another
agent gets 404, as for anything they may not see. "Resolve" settles the
item; "Mark article reviewed" records the review and settles the article's
"review due" items, while flags and comments wait to be resolved."""

from datetime import timedelta

import pytest
import time_machine

from carebase.core.roles import Role
from carebase.kb.actions import do_flag_outdated, raise_due_reviews
from carebase.kb.models import Article, ReviewItem
from carebase.kb.tests.kb_helpers import article
from carebase.kb.tests.regulation_helpers import PUBLISHED, at, review_items
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(agent, mentor):
    with time_machine.travel(PUBLISHED, tick=False):
        return article("Przekierowanie połączeń", "Ustaw…", owner=agent, actor=mentor)


def test_the_owner_resolves_and_another_agent_cannot(guide, agent, mentor):
    flag = do_flag_outdated(guide, mentor, "Menu ma nową nazwę.")
    other = make_user("agent2", Role.SUPPORT_AGENT)
    assert client_for(other).post(f"/kb/reviews/{flag.pk}/resolve/").status_code == 404
    assert client_for(other).post(f"/kb/reviews/{flag.pk}/reviewed/").status_code == 404
    flag.refresh_from_db()
    assert flag.resolved_at is None

    client = client_for(agent)
    assert client.get(f"/kb/reviews/{flag.pk}/resolve/").status_code == 405
    with time_machine.travel(at(2026, 12, 9, 12, 0), tick=False):
        answer = client.post(f"/kb/reviews/{flag.pk}/resolve/", follow=True)
    assert answer.redirect_chain == [("/kb/reviews/", 302)]
    assert "Resolved: Przekierowanie połączeń." in answer.content.decode()
    assert review_items(answer.content.decode()) == {}
    flag.refresh_from_db()
    assert (flag.resolved_at, flag.resolved_by) == (at(2026, 12, 9, 12, 0), agent)
    # Again: the first resolution stays.
    client_for(mentor).post(f"/kb/reviews/{flag.pk}/resolve/")
    flag.refresh_from_db()
    assert flag.resolved_by == agent


def test_an_editor_resolves_any_owners_item_and_comes_back_to_every_owner(guide, head_of_support):
    flag = do_flag_outdated(guide, head_of_support, "Menu ma nową nazwę.")
    answer = client_for(head_of_support).post(f"/kb/reviews/{flag.pk}/resolve/", {"owners": "all"})
    assert (answer.status_code, answer["Location"]) == (302, "/kb/reviews/?owners=all")
    flag.refresh_from_db()
    assert flag.resolved_by == head_of_support


def test_marking_the_article_reviewed_settles_its_due_items_only(guide, agent, mentor):
    flag = do_flag_outdated(guide, mentor, "Menu ma nową nazwę.")
    raise_due_reviews(PUBLISHED + timedelta(days=181))
    due = ReviewItem.objects.get(kind="due")
    with time_machine.travel(at(2027, 6, 10, 9, 0), tick=False):
        answer = client_for(agent).post(f"/kb/reviews/{flag.pk}/reviewed/", follow=True)
    assert "Marked as reviewed: Przekierowanie połączeń." in answer.content.decode()
    assert set(review_items(answer.content.decode())) == {flag.pk}
    due.refresh_from_db()
    assert (due.resolved_at, due.resolved_by) == (at(2027, 6, 10, 9, 0), agent)
    assert Article.objects.get(pk=guide.pk).reviewed_at == at(2027, 6, 10, 9, 0)
