"""Managers write questions over the API by the page's rules: a question
with its options, one with accepted answers, one with a rubric (worth the
sum of its points), citing an article they may read at its live version.
A broken rule answers 422 naming the field, and writes nothing."""

import pytest

from carebase.academy.models import Question
from carebase.academy.tests.academy_helpers import make_section
from carebase.kb.tests.kb_helpers import article
from carebase.testing import ApiClient

pytestmark = pytest.mark.django_db


def test_questions_are_created_and_changed_over_the_api(head_of_support, agent):
    section = make_section()
    guide = article("Recording calls", "Recordings are kept 90 days.", visibility="internal")
    api = ApiClient(head_of_support)
    single = {
        "section": section.pk,
        "kind": "single",
        "text": "How long are recordings kept?",
        "article": guide.pk,
        "choices": [{"text": "90 days", "correct": True}, {"text": "Forever", "correct": False}],
    }

    assert ApiClient(agent).post("/academy/questions", single).status_code == 403
    two_right = {
        **single,
        "choices": [{"text": "A", "correct": True}, {"text": "B", "correct": True}],
    }
    refused = api.post("/academy/questions", two_right)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "choices"]
    assert not Question.objects.exists()

    created = api.post("/academy/questions", single)
    assert created.status_code == 201
    body = created.json()
    assert (body["article"], body["article_version"], body["article_current_version"]) == (
        guide.pk,
        1,
        1,
    )
    assert [choice["text"] for choice in body["choices"]] == ["90 days", "Forever"]

    scenario = api.post(
        "/academy/questions",
        {
            "section": section.pk,
            "kind": "scenario",
            "text": "A client shouts about a missed call.",
            "rubric": [
                {"criterion": "Acknowledges the client", "points": 1},
                {"criterion": "Names the next step", "points": 2},
            ],
        },
    ).json()
    assert scenario["points"] == 3
    short = api.post(
        "/academy/questions",
        {"section": section.pk, "kind": "short", "text": "Minutes to answer a chat?"},
    )
    assert short.status_code == 422
    assert short.json()["detail"][0]["loc"] == ["body", "accepted_answers"]

    changed = api.patch(
        f"/academy/questions/{body['id']}", {"text": "Recordings are kept for…", "article": None}
    )
    assert changed.status_code == 200
    assert (changed.json()["text"], changed.json()["article"]) == ("Recordings are kept for…", None)
    assert api.get(f"/academy/questions/{body['id']}").json()["choices"] == body["choices"]
    listed = api.get("/academy/questions", kind="scenario").json()["items"]
    assert [item["id"] for item in listed] == [scenario["id"]]
