"""A macro's text for a conversation: the requester's Polish name, the
conversation's reference and subject, the agent's name, the organization;
a value that is missing leaves no gap before punctuation; the text is never
run through the template engine."""

import pytest

from carebase.core.roles import Role
from carebase.testing import make_user
from carebase.workflow.macros import render_macro, render_text
from carebase.workflow.tests.macro_helpers import conversation, macro, requester

pytestmark = pytest.mark.django_db

EVERY_PLACEHOLDER = (
    "Dzień dobry {{ contact.first_name }} ({{contact.name}}, {{ contact.email }}),\n"
    "w sprawie {{ ticket.reference }} „{{ ticket.subject }}” dla {{ organization.name }}.\n"
    "Pozdrawiam, {{ agent.first_name }} / {{ agent.name }}"
)


def test_every_placeholder_is_filled_with_polish_names_kept_whole(agent):
    ticket = conversation(requester("Łucja Żółkiewska-Ćwik"))
    text = render_macro(macro(agent, "Wszystko", EVERY_PLACEHOLDER), ticket, agent)
    assert text == (
        "Dzień dobry Łucja (Łucja Żółkiewska-Ćwik, lucja@szybkitelefon.example),\n"
        f"w sprawie #{ticket.pk} „Nie działa przekierowanie połączeń” dla "
        "Szybki Telefon sp. z o.o..\n"
        "Pozdrawiam, Piotr / Piotr Agent"
    )


def test_a_missing_organization_leaves_no_gap_before_the_punctuation(agent):
    ticket = conversation(requester("Anna Nowak", organization=None))
    body = "Zespół {{ organization.name }}, dziękujemy. Konto: {{ organization.name }}."
    assert render_macro(macro(agent, "Bez firmy", body), ticket, agent) == (
        "Zespół, dziękujemy. Konto:."
    )
    assert render_text("Hello {{ contact.first_name }}!", {"contact.first_name": ""}) == "Hello!"
    assert render_text("A {{ x }} b", {"x": ""}) == "A b"


def test_an_agent_without_a_first_name_signs_with_their_username(agent):
    nameless = make_user("ktos", Role.SUPPORT_AGENT)
    ticket = conversation()
    made = macro(agent, "Podpis", "{{ agent.first_name }} | {{ agent.name }}")
    assert render_macro(made, ticket, nameless) == "ktos | ktos"


def test_a_requesters_own_words_are_never_run_as_a_template(agent):
    ticket = conversation(
        requester("{{ agent.name }} {% now 'Y' %}", organization=None),
        subject="{{ contact.name }}",
    )
    made = macro(agent, "Echo", "{{ contact.name }} / {{ ticket.subject }} / {% now 'Y' %}")
    assert render_macro(made, ticket, agent) == (
        "{{ agent.name }} {% now 'Y' %} / {{ contact.name }} / {% now 'Y' %}"
    )
