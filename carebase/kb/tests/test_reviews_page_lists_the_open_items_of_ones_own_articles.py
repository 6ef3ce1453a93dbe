"""Review items wait for the owner of their article on /kb/reviews/: flags
raised from a conversation (with a link to it only for one who may open
it), readers' comments, reviews due; who raised each and when. Editors
switch to the items of every owner; others always see their own. The home
page counts the open items of one's own articles, and says nothing when
there are none."""

import re
from datetime import timedelta

import pytest
import time_machine

from carebase.kb.actions import do_flag_outdated, do_leave_feedback, raise_due_reviews
from carebase.kb.models import ReviewItem
from carebase.kb.tests.kb_helpers import article
from carebase.kb.tests.regulation_helpers import (
    PUBLISHED,
    at,
    conversation,
    review_items,
    team,
)
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _panel(page: str) -> str | None:
    found = re.search(r'<section class="card" id="review-items".*?</section>', page, re.S)
    return found.group(0) if found else None


@pytest.fixture
def items(agent, mentor, customer):
    with time_machine.travel(PUBLISHED, tick=False):
        forwarding = article("Przekierowanie połączeń", "Ustaw…", owner=agent, actor=mentor)
        recording = article("Nagrywanie rozmów", "Włącz…", owner=mentor, actor=mentor)
    billing = team("rozliczenia")  # the agent is not in it
    seen = conversation("Przekierowanie nie działa")
    unseen = conversation("Faktura za grudzień", team=billing)
    with time_machine.travel(at(2026, 12, 8, 10, 0), tick=False):
        flagged = do_flag_outdated(forwarding, mentor, "Menu ma nową nazwę.", ticket=seen)
        hidden = do_flag_outdated(forwarding, mentor, "Cennik się zmienił.", ticket=unseen)
        do_leave_feedback(forwarding, False, "Brakuje zrzutu ekranu.", customer)
        other = do_flag_outdated(recording, agent, "Nagrania są teraz w chmurze.")
    raise_due_reviews(PUBLISHED + timedelta(days=181))
    due = ReviewItem.objects.get(article=forwarding, kind="due")
    return {
        "seen": seen,
        "unseen": unseen,
        "flagged": flagged.pk,
        "hidden": hidden.pk,
        "commented": ReviewItem.objects.get(kind="feedback").pk,
        "due": due.pk,
        "other": other.pk,
        "other_due": ReviewItem.objects.get(article=recording, kind="due").pk,
    }


def test_the_owner_sees_each_item_of_their_articles(items, agent):
    client = client_for(agent)
    page = client.get("/kb/reviews/").content.decode()
    found = review_items(page)
    assert set(found) == {items["flagged"], items["hidden"], items["commented"], items["due"]}
    flagged = found[items["flagged"]]
    assert "Przekierowanie połączeń" in flagged and "Flagged as outdated" in flagged
    assert "Menu ma nową nazwę." in flagged
    assert "Raised by mentor1 on 12/08/2026 10 a.m." in flagged
    assert f'href="/tickets/{items["seen"].pk}/"' in flagged
    hidden = found[items["hidden"]]
    assert "/tickets/" not in hidden and "From a conversation you cannot see" in hidden
    assert "Reader&#x27;s comment" in found[items["commented"]]
    assert "Brakuje zrzutu ekranu." in found[items["commented"]]
    assert (
        "Review due" in found[items["due"]]
        and "Not reviewed since 2026-12-07" in found[items["due"]]
    )
    assert f'action="/kb/reviews/{items["flagged"]}/resolve/"' in flagged
    assert f'action="/kb/reviews/{items["flagged"]}/reviewed/"' in flagged
    # Not an editor: no switch, and asking for every owner still shows their own.
    assert "Every owner" not in page
    assert set(review_items(client.get("/kb/reviews/?owners=all").content.decode())) == set(found)


def test_an_editor_switches_to_every_owner(
    items, mentor, head_of_support, django_assert_max_num_queries
):
    client = client_for(mentor)
    mine = review_items(client.get("/kb/reviews/").content.decode())
    assert set(mine) == {items["other"], items["other_due"]}
    with django_assert_max_num_queries(6):
        page = client.get("/kb/reviews/?owners=all").content.decode()
    everyone = review_items(page)
    assert len(everyone) == 6
    assert "owned by Piotr Agent" in everyone[items["flagged"]]
    assert 'name="owners" value="all"' in everyone[items["flagged"]]
    # A mentor works the conversations of their teams, and of none: not the billing team's.
    assert f'href="/tickets/{items["seen"].pk}/"' in everyone[items["flagged"]]
    assert "/tickets/" not in everyone[items["hidden"]]
    # A head sees every conversation: the billing one's link too.
    page = client_for(head_of_support).get("/kb/reviews/?owners=all").content.decode()
    assert f'href="/tickets/{items["unseen"].pk}/"' in review_items(page)[items["hidden"]]


def test_the_home_page_counts_the_open_items_of_ones_own_articles(items, agent, head_of_support):
    panel = _panel(client_for(agent).get("/").content.decode())
    assert panel is not None and "Articles to review" in panel
    assert '<a class="stat" href="/kb/reviews/"><b>4</b><span>open review items</span></a>' in panel
    ReviewItem.objects.filter(article__owner=agent).exclude(pk=items["due"]).update(
        resolved_at=PUBLISHED
    )
    panel = _panel(client_for(agent).get("/").content.decode())
    assert panel is not None and "<b>1</b><span>open review item</span>" in panel
    ReviewItem.objects.update(resolved_at=PUBLISHED)
    assert _panel(client_for(agent).get("/").content.decode()) is None
    assert _panel(client_for(head_of_support).get("/").content.decode()) is None


def test_the_page_is_for_staff(customer, outsider):
    for person in (customer, outsider):
        assert client_for(person).get("/kb/reviews/").status_code == 403
