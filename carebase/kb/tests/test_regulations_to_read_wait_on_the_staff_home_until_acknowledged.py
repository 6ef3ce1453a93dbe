"""The regulations a person must acknowledge wait on their home page
("Regulations to read", each linking to its page with its live version)
until they confirm reading it; a new version that is not significant does
not bring it back, a significant one does. Someone asked nothing (or a
customer) sees no such panel."""

import re

import pytest

from carebase.core.roles import Role
from carebase.kb.tests.regulation_helpers import new_version, regulation, team
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _panel(page: str) -> str | None:
    found = re.search(r'<section class="card" id="regulations-to-read".*?</section>', page, re.S)
    return found.group(0) if found else None


def test_a_regulation_waits_until_read_and_comes_back_after_a_significant_change(
    agent, head_of_support
):
    rule = regulation("Nagrywanie rozmów", roles=[Role.SUPPORT_AGENT])
    client = client_for(agent)
    panel = _panel(client.get("/").content.decode())
    assert panel is not None
    assert "Regulations to read" in panel
    assert f'<a href="/kb/{rule.pk}/">Nagrywanie rozmów</a>' in panel
    assert "version 1" in panel

    assert client.post(f"/kb/{rule.pk}/acknowledge/").status_code == 302
    assert _panel(client.get("/").content.decode()) is None

    new_version(rule, "Każdą rozmowę nagrywamy po zgodzie klienta.", significant=False)
    assert _panel(client.get("/").content.decode()) is None

    new_version(rule, "Nagrania kasujemy po 90 dniach.", significant=True)
    panel = _panel(client.get("/").content.decode())
    assert panel is not None and "version 3" in panel

    # Nobody asked the head of support: no panel.
    assert _panel(client_for(head_of_support).get("/").content.decode()) is None


def test_a_team_asked_to_read_it_sees_it(trainee, mentor):
    support = team("wsparcie", trainee)
    rule = regulation("Hasła i dostęp", teams=[support])
    panel = _panel(client_for(trainee).get("/").content.decode())
    assert panel is not None and f'data-regulation="{rule.pk}"' in panel
    assert _panel(client_for(mentor).get("/").content.decode()) is None


def test_a_customer_sees_no_regulations(customer):
    regulation("Nagrywanie rozmów", roles=[Role.CUSTOMER])
    assert _panel(client_for(customer).get("/").content.decode()) is None
