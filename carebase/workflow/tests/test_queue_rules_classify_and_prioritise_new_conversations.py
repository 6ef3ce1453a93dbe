"""The head writes queue rules over the API; a new conversation is classified
by its words in any inflection, prioritised by channel, type and tier, and
carries the rule that set its priority. Rules that do nothing, set what they
test, or set each other off are refused with the reason, nothing saved."""

import pytest

from carebase.core.models import AuditEvent
from carebase.crm.models import Organization
from carebase.workflow.models import Rule
from carebase.workflow.rules import do_install_default_rules

pytestmark = pytest.mark.django_db


def _open(api, subject, body, **extra):
    payload = {
        "subject": subject,
        "body": body,
        "requester": {"email": "jan@acme.pl", "name": "Jan"},
        **extra,
    }
    response = api.post("/tickets", payload)
    assert response.status_code == 201, response.json()
    return response.json()


def test_default_rules_classify_by_inflected_words_and_put_top_tier_problems_first(
    api_as, head_of_support, agent
):
    do_install_default_rules(actor=None)
    api = api_as(agent)
    problem = _open(api, "Centrala", "Od rana przestało działać przekierowanie, same błędy.")
    assert (problem["type"], problem["priority"]) == ("problem", "high")

    Organization.objects.create(name="Acme", tier="strategic")
    contact_api = api_as(agent)
    contact = contact_api.post(
        "/contacts",
        {
            "name": "Ewa",
            "emails": ["ewa@acme.pl"],
            "organization": Organization.objects.get(name="Acme").pk,
        },
    )
    assert contact.status_code == 201, contact.json()
    urgent = api.post(
        "/tickets",
        {
            "subject": "Awaria",
            "body": "Telefony nie działają",
            "requester": {"email": "ewa@acme.pl", "name": "Ewa"},
        },
    ).json()
    assert (urgent["type"], urgent["priority"]) == ("problem", "urgent")

    question = _open(api, "Faktura", "Kiedy dostanę fakturę?")
    assert (question["type"], question["priority"]) == ("question", "normal")

    # What the caller chose stays.
    chosen = _open(api, "Błąd", "Nie działa", type="question", priority="low")
    assert (chosen["type"], chosen["priority"]) == ("question", "low")


def test_the_conversation_page_says_which_rule_set_the_priority(client, api_as, agent):
    do_install_default_rules(actor=None)
    made = _open(api_as(agent), "Nie dzwoni", "Telefon nie dzwoni od wczoraj, błąd 503.")
    client.force_login(agent)
    page = client.get(f"/tickets/{made['id']}/").content.decode()
    assert "Problems before configuration work: high" in page


def test_the_head_writes_reorders_and_deletes_rules_and_an_agent_may_only_read(
    api_as, head_of_support, agent
):
    api = api_as(head_of_support)
    first = api.post(
        "/rules",
        {
            "kind": "priority",
            "name": "Phone first",
            "conditions": {"channel": ["phone"]},
            "set_priority": "high",
        },
    )
    assert first.status_code == 201, first.json()
    second = api.post(
        "/rules",
        {
            "kind": "priority",
            "name": "After hours",
            "conditions": {"business_hours": False},
            "set_priority": "low",
        },
    ).json()
    assert [r["name"] for r in api.get("/rules?kind=priority").json()["items"]] == [
        "Phone first",
        "After hours",
    ]
    reordered = api.post(
        "/rules/order", {"kind": "priority", "order": [second["id"], first.json()["id"]]}
    )
    assert [r["name"] for r in reordered.json()["items"]] == ["After hours", "Phone first"]
    assert api_as(agent).get("/rules").status_code == 200
    assert (
        api_as(agent)
        .post("/rules", {"kind": "priority", "name": "x", "set_priority": "low"})
        .status_code
        == 403
    )
    assert api.delete(f"/rules/{second['id']}").status_code == 204
    assert AuditEvent.objects.filter(kind="workflow.rule_saved").count() == 2
    assert AuditEvent.objects.filter(kind="workflow.rule_deleted").count() == 1


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        (
            {"kind": "priority", "name": "Nothing", "conditions": {"channel": ["email"]}},
            "changes nothing",
        ),
        ({"kind": "classify", "name": "No type", "conditions": {}}, "sets the request type"),
        (
            {
                "kind": "priority",
                "name": "Self",
                "conditions": {"tags": ["vip"]},
                "add_tags": ["vip"],
            },
            "its own conditions test",
        ),
        (
            {
                "kind": "priority",
                "name": "Bad",
                "conditions": {"channel": ["fax"]},
                "set_priority": "high",
            },
            "is not one of",
        ),
        (
            {
                "kind": "priority",
                "name": "Odd",
                "conditions": {"colour": ["red"]},
                "set_priority": "high",
            },
            "is not a condition",
        ),
    ],
)
def test_a_rule_that_cannot_work_is_refused_with_the_reason(api_as, head_of_support, payload, says):
    response = api_as(head_of_support).post("/rules", payload)
    assert response.status_code == 422
    assert says in str(response.json()["detail"])
    assert not Rule.objects.exists()


def test_two_rules_that_would_set_each_other_off_cannot_both_be_saved(api_as, head_of_support):
    api = api_as(head_of_support)
    assert (
        api.post(
            "/rules",
            {
                "kind": "classify",
                "name": "Tagged billing is a question",
                "conditions": {"tags": ["billing"]},
                "set_type": "question",
            },
        ).status_code
        == 201
    )
    looping = api.post(
        "/rules",
        {
            "kind": "priority",
            "name": "Questions get the billing tag",
            "conditions": {"type": ["question"]},
            "add_tags": ["billing"],
        },
    )
    assert looping.status_code == 422
    assert "Tagged billing is a question" in str(looping.json()["detail"])
    assert Rule.objects.count() == 1
