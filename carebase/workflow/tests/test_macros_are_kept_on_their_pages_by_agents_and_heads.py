"""The macros' pages: an agent lists (searching names and texts whatever the
Polish letters, filtering by sharing), creates, edits and deletes their own;
a head shares them; a bad macro comes back with the reasons and nothing
saved; the pages speak Polish; customers do not get in."""

import pytest

from carebase.testing import client_for
from carebase.workflow.models import Macro
from carebase.workflow.tests.macro_helpers import macro, team

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Zgłoszenie przyjęte",
    "language": "pl",
    "body": "Dzień dobry {{ contact.first_name }},\n"
    "dziękujemy za zgłoszenie {{ ticket.reference }}.",
    "set_status": "",
    "set_type": "problem",
    "set_priority": "",
    "add_tags": "awaria, VoIP",
}


def test_an_agent_creates_changes_and_deletes_a_personal_macro(agent):
    client = client_for(agent)
    page = client.get("/workflow/macros/").content.decode()
    assert "No macro yet" in page and 'href="/workflow/macros/"' in page  # in the menu
    form = client.get("/workflow/macros/new/").content.decode()
    assert 'name="scope"' not in form and "{{ contact.first_name }}" in form

    response = client.post("/workflow/macros/new/", FORM)
    assert response.status_code == 302
    made = Macro.objects.get()
    assert (made.scope, made.owner, made.add_tags) == ("personal", agent, ["awaria", "voip"])
    page = client.get("/workflow/macros/").content.decode()
    assert "Zgłoszenie przyjęte" in page and "Type: Problem" in page and "Tags: +awaria" in page

    edit = client.get(f"/workflow/macros/{made.pk}/").content.decode()
    assert "awaria, voip" in edit and "dziękujemy za zgłoszenie" in edit
    response = client.post(f"/workflow/macros/{made.pk}/", {**FORM, "set_priority": "high"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.set_priority == "high"

    assert client.post(f"/workflow/macros/{made.pk}/delete/").status_code == 302
    assert not Macro.objects.exists()


def test_the_list_is_searched_whatever_the_case_and_polish_letters(
    agent, head_of_support, django_assert_max_num_queries
):
    support = team("wsparcie", agent)
    macro(agent, "Zgłoszenie przyjęte", "Dziękujemy za zgłoszenie.")
    macro(agent, "Billing", "Please write to billing.", language="en")
    for number in range(5):
        macro(head_of_support, f"Dla zespołu {number}", "Łączymy.", scope="team", team=support.pk)
    client = client_for(agent)
    with django_assert_max_num_queries(8):
        page = client.get("/workflow/macros/", {"q": "ZGLOSZENIE"}).content.decode()
    assert "Zgłoszenie przyjęte" in page and "Billing" not in page
    page = client.get("/workflow/macros/", {"q": "laczymy"}).content.decode()
    assert page.count("Dla zespołu") == 5
    with django_assert_max_num_queries(8):
        page = client.get("/workflow/macros/", {"scope": "team"}).content.decode()
    assert "Billing" not in page and page.count("Wsparcie") == 5
    # Shared macros are listed to use, not linked to edit.
    assert "/workflow/macros/" + str(Macro.objects.filter(scope="team").first().pk) not in page
    assert "No macro matches" in client.get("/workflow/macros/", {"q": "xyz"}).content.decode()


def test_a_head_shares_a_macro_with_a_team(head_of_support, agent):
    support = team("wsparcie", agent)
    client = client_for(head_of_support)
    response = client.post("/workflow/macros/new/", {**FORM, "scope": "team", "team": support.pk})
    assert response.status_code == 302
    made = Macro.objects.get()
    assert made.team == support and made.owner is None
    # The agent uses it but may not change it.
    agent_client = client_for(agent)
    assert "Zgłoszenie przyjęte" in agent_client.get("/workflow/macros/").content.decode()
    assert agent_client.get(f"/workflow/macros/{made.pk}/").status_code == 403
    assert agent_client.post(f"/workflow/macros/{made.pk}/delete/").status_code == 403
    assert Macro.objects.count() == 1


def test_a_bad_macro_comes_back_with_the_reasons_and_saves_nothing(agent):
    client = client_for(agent)
    response = client.post("/workflow/macros/new/", {**FORM, "body": "Hej {{ kontakt.imie }}"})
    assert response.status_code == 422
    assert "{{ kontakt.imie }} is not a placeholder" in response.content.decode()
    response = client.post(
        "/workflow/macros/new/", {**FORM, "body": "", "set_type": "", "add_tags": ""}
    )
    assert response.status_code == 422
    assert "neither writes a reply nor changes a field" in response.content.decode()
    assert not Macro.objects.exists()


def test_the_pages_speak_polish(agent):
    agent.language = "pl"
    agent.save(update_fields=["language"])
    client = client_for(agent)
    assert "Nowe makro" in client.get("/workflow/macros/").content.decode()
    response = client.post("/workflow/macros/new/", {**FORM, "body": "{{ kontakt.imie }}"})
    page = response.content.decode()
    assert "{{ kontakt.imie }} nie jest symbolem zastępczym" in page
    response = client.post("/workflow/macros/new/", FORM)
    assert "Zapisano makro Zgłoszenie przyjęte." in client.get(response.url).content.decode()


def test_nobody_who_does_not_work_conversations_gets_in(customer, sales, agent):
    own = macro(agent, "Moje", "Dziękuję.")
    for user in (customer, sales):
        client = client_for(user)
        assert client.get("/workflow/macros/").status_code in (403, 302)
        assert client.post("/workflow/macros/new/", FORM).status_code in (403, 302)
        assert client.post(f"/workflow/macros/{own.pk}/delete/").status_code in (403, 302)
    assert client_for(agent).get("/workflow/macros/987654/").status_code == 404
    assert Macro.objects.count() == 1
