"""A head tries the queue's rules on a request that has not arrived, on the
rules' page or over the API: the type, priority and SLA targets it would
get and the rules that gave them, with nothing saved. The shipped rules put
a strategic client's broken phone line at the top; a form field sent with
an API request is a condition the rules can test."""

import pytest
from django.core.exceptions import ValidationError

from carebase.crm.models import Organization
from carebase.testing import client_for
from carebase.tickets.models import Ticket
from carebase.workflow.demo import PREMIUM, STANDARD, _targets
from carebase.workflow.models import Rule, RuleKind
from carebase.workflow.policies import PolicyData, do_reorder_policies, do_save_policy
from carebase.workflow.rules import RuleData, do_install_default_rules, do_save_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue():
    do_install_default_rules(actor=None)
    premium = do_save_policy(
        PolicyData(
            name="Premium",
            conditions={"tier": ["strategic", "key"]},
            targets=_targets(PREMIUM),
            business_hours=False,
        ),
        actor=None,
    )
    standard = do_save_policy(
        PolicyData(name="Standard", targets=_targets(STANDARD), business_hours=False),
        actor=None,
    )
    return premium, standard


def test_the_page_shows_what_a_request_would_become(head_of_support, queue):
    Organization.objects.create(name="Tel-Net", tier="strategic")
    client = client_for(head_of_support)
    page = client.get(
        "/workflow/rules/",
        {
            "try": "1",
            "subject": "Telefony nie dzwonią",
            "body": "Od rana nic nie działa, klienci nie mogą się dodzwonić.",
            "channel": "phone",
            "organization": "tel-net",
        },
    ).content.decode()
    assert '<dd data-field="type">Problem</dd>' in page
    assert '<dd data-field="priority">Urgent</dd>' in page
    assert "Something does not work: a problem" in page
    assert "Problems of top-tier clients are urgent" in page
    assert 'data-field="policy">Premium</a>' in page and "First response 15m" in page
    assert not Ticket.objects.exists()

    unknown = client.get(
        "/workflow/rules/", {"try": "1", "subject": "x", "channel": "email", "organization": "?"}
    ).content.decode()
    assert "No organization is called “?”." in unknown


def test_the_api_tries_the_rules_for_programs(head_of_support, agent, customer, api_as, queue):
    _premium, standard = queue
    body = {
        "subject": "Prośba o konfigurację IVR",
        "body": "Chcemy ustawić menu.",
        "channel": "email",
    }
    answer = api_as(agent).post("/rules/try", body)
    assert answer.status_code == 200, answer.content
    tried = answer.json()
    assert (tried["type"], tried["priority"], tried["policy"]) == (
        "configuration",
        "normal",
        standard.pk,
    )
    assert [step["rule"] for step in tried["applied"]] == [
        "Set up or change: a configuration request",
        "Configuration work: normal",
    ]
    assert {item["metric"]: item["minutes"] for item in tried["targets"]} == {
        "first_response": 240,
        "next_update": 480,
        "resolution": 2400,
    }
    assert api_as(customer).post("/rules/try", body).status_code == 403
    assert api_as(agent).post("/rules/try", {**body, "organization": 999999}).status_code == 404
    assert not Ticket.objects.exists()


def test_a_form_field_sent_with_a_request_is_a_condition(head_of_support, api_as):
    do_save_rule(
        RuleData(
            kind=RuleKind.PRIORITY,
            name="Outage form: urgent",
            conditions={"form": {"severity": "outage"}},
            set_priority="urgent",
        ),
        actor=None,
    )
    api = api_as(head_of_support)
    common = {"subject": "Brak połączeń", "body": "…", "requester": {"email": "a@acme.pl"}}
    made = api.post("/tickets", {**common, "fields": {"severity": "Outage"}}).json()
    plain = api.post("/tickets", common).json()
    assert (made["priority"], plain["priority"]) == ("urgent", "normal")
    tried = api.post(
        "/rules/try", {"subject": "x", "form": {"severity": "outage"}, "channel": "api"}
    ).json()
    assert tried["priority"] == "urgent"
    too_many = {f"field{n}": "x" for n in range(21)}
    assert api.post("/tickets", {**common, "fields": too_many}).status_code == 422
    assert Rule.objects.count() == 1


def test_policies_are_reordered_over_the_api(head_of_support, agent, api_as, queue):
    premium, standard = queue
    api = api_as(head_of_support)
    answer = api.post("/sla-policies/order", {"order": [standard.pk, premium.pk]})
    assert answer.status_code == 200
    assert [item["name"] for item in answer.json()["items"]] == ["Standard", "Premium"]
    assert api.post("/sla-policies/order", {"order": [standard.pk]}).status_code == 422
    assert (
        api_as(agent).post("/sla-policies/order", {"order": [premium.pk, standard.pk]}).status_code
        == 403
    )
    with pytest.raises(ValidationError):
        do_reorder_policies([premium.pk, premium.pk], actor=None)
