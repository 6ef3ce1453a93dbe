"""GET /api/v1/kb/reviews lists the open review items of the caller's own
articles (editors: `owners=all` for every owner's; others are refused),
read on with `next`; the conversation of an item shows only to one who may
open it. POST /api/v1/kb/reviews/{id}/resolve settles an item for its
article's owner or an editor, 404 for anyone else."""

from datetime import datetime

import pytest
import time_machine

from carebase.core.roles import Role
from carebase.kb.actions import do_flag_outdated
from carebase.kb.tests.kb_helpers import article
from carebase.kb.tests.regulation_helpers import at, conversation, team
from carebase.testing import make_user

pytestmark = pytest.mark.django_db


def test_owners_list_and_resolve_their_items(agent, mentor, head_of_support, customer, api_as):
    guide = article("Przekierowanie połączeń", "Ustaw…", owner=agent, actor=mentor)
    others = article("Nagrywanie rozmów", "Włącz…", owner=mentor, actor=mentor)
    seen = conversation("Przekierowanie nie działa")
    unseen = conversation("Faktura za grudzień", team=team("rozliczenia"))
    with time_machine.travel(at(2026, 12, 8, 10, 0), tick=False):
        flag = do_flag_outdated(guide, mentor, "Menu ma nową nazwę.", ticket=seen)
        hidden = do_flag_outdated(guide, mentor, "Cennik się zmienił.", ticket=unseen)
        theirs = do_flag_outdated(others, agent, "Nagrania są w chmurze.")

    api = api_as(agent)
    page = api.get("/kb/reviews", limit=1).json()
    assert page["items"] == [
        {
            "id": flag.pk,
            "article": guide.pk,
            "article_title": "Przekierowanie połączeń",
            "kind": "outdated",
            "note": "Menu ma nową nazwę.",
            "ticket": seen.pk,
            "created_by": mentor.pk,
            "created_at": page["items"][0]["created_at"],
            "resolved_at": None,
        }
    ]
    assert datetime.fromisoformat(page["items"][0]["created_at"]) == at(2026, 12, 8, 10, 0)
    rest = api.get("/kb/reviews", limit=1, cursor=page["next"]).json()
    assert [(item["id"], item["ticket"]) for item in rest["items"]] == [(hidden.pk, None)]
    assert api.get("/kb/reviews", owners="all").status_code == 403
    assert api_as(customer).get("/kb/reviews").status_code == 403

    editor = api_as(head_of_support)
    everyone = editor.get("/kb/reviews", owners="all").json()["items"]
    assert [(item["id"], item["ticket"]) for item in everyone] == [
        (flag.pk, seen.pk),
        (hidden.pk, unseen.pk),
        (theirs.pk, None),
    ]
    assert editor.get("/kb/reviews").json()["items"] == []  # the head owns no article

    other = make_user("agent2", Role.SUPPORT_AGENT)
    assert api_as(other).post(f"/kb/reviews/{flag.pk}/resolve").status_code == 404
    with time_machine.travel(at(2026, 12, 9, 12, 0), tick=False):
        answer = api.post(f"/kb/reviews/{flag.pk}/resolve")
    assert answer.status_code == 200
    assert datetime.fromisoformat(answer.json()["resolved_at"]) == at(2026, 12, 9, 12, 0)
    assert answer.json()["ticket"] == seen.pk
    assert editor.post(f"/kb/reviews/{theirs.pk}/resolve").status_code == 200
    assert [item["id"] for item in api.get("/kb/reviews").json()["items"]] == [hidden.pk]
    assert api.post("/kb/reviews/999999/resolve").status_code == 404
