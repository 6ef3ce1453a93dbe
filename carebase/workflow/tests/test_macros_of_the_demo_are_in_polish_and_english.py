"""The demo's macros: a dozen and more replies of a telephony support desk in
Polish and English, most shared with everyone, some per team, one an agent
keeps; every one renders for a demo conversation; seeded once."""

from io import StringIO

import pytest
from django.core.management import call_command

from carebase.accounts.models import User
from carebase.tickets.models import Ticket
from carebase.workflow.macros import PLACEHOLDER, macros_for, render_macro
from carebase.workflow.models import Macro

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


def test_the_demo_seeds_macros_once_that_render_for_its_conversations(api_as):
    call_command("demo", tickets=20, stdout=StringIO())
    call_command("demo", tickets=20, stdout=StringIO())  # again: nothing doubled
    macros = list(Macro.objects.select_related("team", "owner"))
    assert len(macros) >= 12
    assert {macro.language for macro in macros} == {"pl", "en"}
    assert {macro.scope for macro in macros} == {"everyone", "team", "personal"}
    assert {macro.team.slug for macro in macros if macro.team} == {"support", "success"}
    [personal] = [macro for macro in macros if macro.scope == "personal"]
    assert personal.owner.username == "piotr.agent"
    assert any(macro.set_status == "pending" for macro in macros)

    agent = User.objects.get(username="piotr.agent")
    ticket = Ticket.objects.select_related("requester", "organization").first()
    for macro in macros_for(agent):
        text = render_macro(macro, ticket, agent)
        assert not PLACEHOLDER.search(text) and "Piotr" in text
        assert text.split(",")[0].endswith(ticket.requester.name.split()[0])
    other = api_as(User.objects.get(username="ola.agent")).get("/macros").json()["items"]
    assert personal.pk not in {item["id"] for item in other}
    assert "Zaproszenie na przegląd konta" not in {item["name"] for item in other}
