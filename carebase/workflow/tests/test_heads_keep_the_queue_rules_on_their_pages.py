"""The queue rules' pages: the head adds a rule by its conditions, sees it in
the order it runs, moves it up, changes and deletes it; a rule that changes
nothing, or would set itself off again, comes back with the reason and
nothing saved. Agents read the rules; only heads and admins write them."""

import pytest

from carebase.core.models import AuditEvent
from carebase.testing import client_for
from carebase.workflow.models import Rule, RuleKind
from carebase.workflow.rules import RuleData, do_save_rule

pytestmark = pytest.mark.django_db


def _rule(name, **fields):
    fields.setdefault("kind", RuleKind.PRIORITY)
    fields.setdefault("set_priority", "high")
    return do_save_rule(RuleData(name=name, **fields), actor=None)


def test_the_head_adds_moves_changes_and_deletes_a_priority_rule(head_of_support):
    _rule("Phone first", conditions={"channel": ["phone"]})
    client = client_for(head_of_support)
    form = client.get("/workflow/rules/new/?kind=priority").content.decode()
    assert 'name="if_keywords"' in form and 'name="if_business_hours"' in form
    assert 'name="set_type"' not in form  # the type is the classification's to set

    response = client.post(
        "/workflow/rules/new/?kind=priority",
        {
            "name": "Outages after hours",
            "active": "on",
            "if_type": ["problem"],
            "if_keywords": "awaria\nnie działa\n",
            "if_business_hours": "out",
            "set_priority": "urgent",
            "add_tags": "Outage, after-hours",
        },
    )
    assert response.status_code == 302, response.content.decode()
    rule = Rule.objects.get(name="Outages after hours")
    assert rule.conditions == {
        "type": ["problem"],
        "keywords": ["awaria", "nie działa"],
        "business_hours": False,
    }
    assert (rule.set_priority, rule.add_tags) == ("urgent", ["outage", "after-hours"])
    assert list(Rule.objects.values_list("name", flat=True)) == [
        "Phone first",
        "Outages after hours",
    ]
    page = client.get("/workflow/rules/").content.decode()
    assert "Outside business hours" in page or "outside business hours" in page
    assert "awaria, nie działa" in page

    assert client.post(f"/workflow/rules/{rule.pk}/move/", {"direction": "up"}).status_code == 302
    assert list(Rule.objects.values_list("name", flat=True)) == [
        "Outages after hours",
        "Phone first",
    ]
    assert AuditEvent.objects.filter(kind="workflow.rules_reordered").exists()

    edit = client.get(f"/workflow/rules/{rule.pk}/").content.decode()
    assert "awaria\nnie działa" in edit and 'value="out" selected' in edit
    response = client.post(
        f"/workflow/rules/{rule.pk}/",
        {"name": "Outages after hours", "if_type": ["problem"], "set_priority": "high"},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.active, rule.conditions, rule.set_priority) == (
        False,
        {"type": ["problem"]},
        "high",
    )

    assert client.post(f"/workflow/rules/{rule.pk}/delete/").status_code == 302
    assert list(Rule.objects.values_list("name", flat=True)) == ["Phone first"]


def test_a_rule_that_changes_nothing_or_sets_itself_off_is_refused(head_of_support):
    client = client_for(head_of_support)
    nothing = client.post(
        "/workflow/rules/new/?kind=priority", {"name": "Idle", "if_channel": ["email"]}
    )
    assert nothing.status_code == 422
    assert "This rule changes nothing" in nothing.content.decode()

    itself = client.post(
        "/workflow/rules/new/?kind=priority",
        {"name": "Tag loop", "if_tags": "vip", "add_tags": "vip"},
    )
    assert itself.status_code == 422
    assert "its own conditions test" in itself.content.decode()

    bad_form = client.post(
        "/workflow/rules/new/?kind=priority",
        {"name": "Form", "if_form": "product pbx", "set_priority": "high"},
    )
    assert bad_form.status_code == 422
    assert "Line 1: write “field = value”." in bad_form.content.decode()
    assert not Rule.objects.exists()


def test_a_classification_rule_must_set_the_type(head_of_support):
    client = client_for(head_of_support)
    form = client.get("/workflow/rules/new/?kind=classify").content.decode()
    assert 'name="set_priority"' not in form and 'name="if_business_hours"' not in form
    refused = client.post(
        "/workflow/rules/new/?kind=classify", {"name": "Wishes", "if_keywords": "propozycja"}
    )
    assert refused.status_code == 422 and not Rule.objects.exists()
    made = client.post(
        "/workflow/rules/new/?kind=classify",
        {"name": "Wishes", "if_keywords": "propozycja", "set_type": "feature_request"},
    )
    assert made.status_code == 302
    assert Rule.objects.get().kind == RuleKind.CLASSIFY


def test_agents_read_the_rules_and_nobody_else_writes_them(agent, customer, outsider):
    rule = _rule("Phone first", conditions={"channel": ["phone"]})
    page = client_for(agent).get("/workflow/rules/")
    assert page.status_code == 200
    assert "Phone first" in page.content.decode()
    assert f"/workflow/rules/{rule.pk}/" not in page.content.decode()
    for person in (agent, customer, outsider):
        client = client_for(person)
        assert client.get("/workflow/rules/new/?kind=priority").status_code == 403
        assert client.post(f"/workflow/rules/{rule.pk}/delete/").status_code == 403
        assert client.post(f"/workflow/rules/{rule.pk}/move/", {"direction": "up"}).status_code == (
            403
        )
    for person in (customer, outsider):
        assert client_for(person).get("/workflow/rules/").status_code == 403
    assert Rule.objects.count() == 1


def test_an_unknown_kind_of_rule_is_not_found(head_of_support):
    assert client_for(head_of_support).get("/workflow/rules/new/?kind=nope").status_code == 404
