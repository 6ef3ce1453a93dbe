"""Regulations over the REST API: POST /kb/articles/{id}/acknowledge
confirms reading the live version (201; 404 for what the caller may not
read; 422 for anything but a published regulation); GET
/kb/acknowledgements lists the caller's own (editors: everyone's, another
person's is refused to others); GET /kb/regulations/pending the caller's
regulations to read; GET /kb/regulations/{id}/readers who read it (editors
only)."""

from datetime import datetime

import pytest

from carebase.core.roles import Role
from carebase.kb.tests.kb_helpers import article
from carebase.kb.tests.regulation_helpers import acknowledge, at, new_version, regulation, team

pytestmark = pytest.mark.django_db


def test_a_person_acknowledges_a_regulation_and_it_leaves_their_pending_list(agent, api_as):
    rule = regulation("Nagrywanie rozmów", roles=[Role.SUPPORT_AGENT])
    api = api_as(agent)
    assert api.get("/kb/regulations/pending").json() == {
        "items": [
            {"id": rule.pk, "title": "Nagrywanie rozmów", "version": 1, "url": f"/kb/{rule.pk}/"}
        ]
    }
    answer = api.post(f"/kb/articles/{rule.pk}/acknowledge")
    assert answer.status_code == 201
    body = answer.json()
    assert {key: body[key] for key in ("article", "version", "user")} == {
        "article": rule.pk,
        "version": 1,
        "user": agent.pk,
    }
    assert datetime.fromisoformat(body["acknowledged_at"])
    assert api.get("/kb/regulations/pending").json() == {"items": []}
    # Again: the same acknowledgement.
    again = api.post(f"/kb/articles/{rule.pk}/acknowledge")
    assert (again.status_code, again.json()) == (201, body)

    new_version(rule, "Nagrania kasujemy po 90 dniach.", significant=True)
    assert [item["version"] for item in api.get("/kb/regulations/pending").json()["items"]] == [2]


def test_only_a_published_regulation_the_caller_may_read_is_acknowledged(agent, customer, api_as):
    rule = regulation("Nagrywanie rozmów", roles=[Role.SUPPORT_AGENT])
    guide = article("Jak przekierować połączenia", "…", visibility="internal")
    hidden = regulation("Zasady dla mentorów")
    hidden.visibility = "roles"
    hidden.save(update_fields=["visibility"])
    hidden.readers.set([])
    api = api_as(agent)
    assert api.post(f"/kb/articles/{guide.pk}/acknowledge").status_code == 422
    assert api.post(f"/kb/articles/{hidden.pk}/acknowledge").status_code == 404
    assert api.post("/kb/articles/999999/acknowledge").status_code == 404
    assert api_as(customer).post(f"/kb/articles/{rule.pk}/acknowledge").status_code == 404


def test_others_list_their_own_acknowledgements_and_editors_everyones(
    agent, trainee, head_of_support, api_as, django_assert_max_num_queries
):
    rule = regulation("Nagrywanie rozmów", roles=[Role.SUPPORT_AGENT, Role.TRAINEE])
    other = regulation("Hasła i dostęp", roles=[Role.SUPPORT_AGENT])
    mine = acknowledge(rule, agent, at(2026, 12, 8, 10, 30))
    theirs = acknowledge(rule, trainee)
    mine_too = acknowledge(other, agent)
    api = api_as(agent)
    page = api.get("/kb/acknowledgements").json()
    assert [(item["article"], item["user"]) for item in page["items"]] == [
        (rule.pk, agent.pk),
        (other.pk, agent.pk),
    ]
    assert datetime.fromisoformat(page["items"][0]["acknowledged_at"]) == at(2026, 12, 8, 10, 30)
    assert api.get("/kb/acknowledgements", user=agent.pk).status_code == 200
    refused = api.get("/kb/acknowledgements", user=trainee.pk)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "You may list only your own acknowledgements."}

    editor = api_as(head_of_support)
    with django_assert_max_num_queries(4):
        everyone = editor.get("/kb/acknowledgements", limit=2).json()
    assert [item["user"] for item in everyone["items"]] == [agent.pk, trainee.pk]
    rest = editor.get("/kb/acknowledgements", limit=2, cursor=everyone["next"]).json()
    assert [(item["article"], rest["next"]) for item in rest["items"]] == [(other.pk, None)]
    one = editor.get("/kb/acknowledgements", user=trainee.pk, article=rule.pk).json()
    assert [item["user"] for item in one["items"]] == [theirs.user_id]
    assert mine.pk and mine_too.pk


def test_editors_see_who_read_a_regulation(agent, trainee, mentor, head_of_support, api_as):
    support = team("wsparcie", mentor)
    rule = regulation(
        "Nagrywanie rozmów", roles=[Role.SUPPORT_AGENT, Role.TRAINEE], teams=[support]
    )
    acknowledge(rule, agent, at(2026, 12, 8, 10, 30))
    acknowledge(rule, trainee, at(2026, 12, 8, 11, 0))
    new_version(rule, "Nagrania kasujemy po 90 dniach.", significant=True)
    acknowledge(rule, agent, at(2026, 12, 11, 8, 15))

    answer = api_as(head_of_support).get(f"/kb/regulations/{rule.pk}/readers")
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert [(item["user"], item["name"], item["status"], item["version"]) for item in items] == [
        (mentor.pk, "mentor1", "missing", None),
        (trainee.pk, "trainee1", "outdated", 1),
        (agent.pk, "Piotr Agent", "current", 2),
    ]
    assert items[0]["acknowledged_at"] is None
    assert datetime.fromisoformat(items[2]["acknowledged_at"]) == at(2026, 12, 11, 8, 15)

    assert api_as(agent).get(f"/kb/regulations/{rule.pk}/readers").status_code == 403
    guide = article("Jak przekierować połączenia", "…", visibility="internal")
    assert api_as(head_of_support).get(f"/kb/regulations/{guide.pk}/readers").status_code == 404
