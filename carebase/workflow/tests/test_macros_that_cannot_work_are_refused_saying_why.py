"""A macro that could not work is refused when it is saved, the reason at
its field, naming what is wrong, and nothing is saved: an unknown or
unclosed placeholder, a macro that neither writes nor changes anything, a
value that is not one of the choices, a team that does not exist, a name
already taken among the macros shared the same way."""

import pytest

from carebase.core.models import AuditEvent
from carebase.workflow.models import Macro
from carebase.workflow.tests.macro_helpers import macro

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Konfiguracja gotowa",
    "body": "Gotowe, {{ contact.first_name }}.",
    "language": "pl",
}


@pytest.mark.parametrize(
    ("change", "field", "complaint"),
    [
        (
            {"body": "Dzień dobry {{ contact.nmae }}, {{contact.nmae}}!"},
            "body",
            "{{ contact.nmae }} is not a placeholder; these are: contact.name, contact.first_name",
        ),
        ({"body": "{{ ticket.reference|upper }}"}, "body", "{{ ticket.reference|upper }} is not"),
        ({"body": "{% load static %}{{ settings.SECRET_KEY }}"}, "body", "settings.SECRET_KEY"),
        ({"body": "Dzień dobry {{ contact.first_name }"}, "body", "A placeholder is not closed"),
        (
            {"body": "   \n "},
            "body",
            "“Konfiguracja gotowa” neither writes a reply nor changes a field",
        ),
        ({"body": "x" * 20_001}, "body", "most 20000 characters"),
        ({"name": "  "}, "name", "A macro needs a name"),
        ({"set_status": "closed"}, "set_status", "“closed” is not one of: open, pending"),
        ({"set_status": "new"}, "set_status", "“new” is not one of"),
        ({"scope": "team"}, "team", "Choose the team that shares the macro"),
        ({"scope": "team", "team": 987654}, "team", "No such team: 987654"),
        ({"add_tags": ["x" * 51]}, "add_tags", "is longer than 50 characters"),
        ({"add_tags": [f"tag{n}" for n in range(20)] + ["one more"]}, "add_tags", None),
    ],
)
def test_a_macro_that_cannot_work_is_refused_at_its_field(
    api_as, head_of_support, change, field, complaint
):
    response = api_as(head_of_support).post("/macros", {**GOOD, **change})
    assert response.status_code == 422, response.json()
    problems = response.json()["detail"]
    assert problems[0]["loc"][-1] == field
    if complaint is not None:
        assert complaint in problems[0]["msg"]
    assert not Macro.objects.exists()
    assert not AuditEvent.objects.filter(kind__startswith="workflow.").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"set_type": "complaint"}, "set_type"),
        ({"set_priority": "asap"}, "set_priority"),
        ({"language": "de"}, "language"),
        ({"scope": "company"}, "scope"),
    ],
)
def test_a_value_outside_the_choices_is_refused_naming_them(api_as, agent, change, field):
    response = api_as(agent).post("/macros", {**GOOD, **change})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"][-1] == field and "Input should be" in problem["msg"]
    assert not Macro.objects.exists()


def test_a_macro_that_only_changes_fields_needs_no_text(api_as, agent):
    response = api_as(agent).post("/macros", {"name": "Pilne", "set_priority": "urgent"})
    assert response.status_code == 201 and response.json()["body"] == ""


def test_a_name_is_taken_only_among_macros_shared_the_same_way(api_as, agent, head_of_support):
    macro(agent, "Podziękowanie", "Dziękuję!")
    again = api_as(agent).post("/macros", {**GOOD, "name": "PODZIĘKOWANIE"})
    assert again.status_code == 422
    assert again.json()["detail"][0]["msg"] == (
        "Another macro shared the same way is called PODZIĘKOWANIE."
    )
    # The same name for everyone, or another person's own, is another macro.
    head = api_as(head_of_support)
    assert head.post("/macros", {**GOOD, "name": "Podziękowanie"}).status_code == 201
    shared = head.post("/macros", {**GOOD, "name": "Podziękowanie", "scope": "everyone"})
    assert shared.status_code == 201
    assert Macro.objects.count() == 3
