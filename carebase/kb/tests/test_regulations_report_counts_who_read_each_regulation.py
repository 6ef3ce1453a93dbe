"""Regulations read: every published regulation with its live version, the
version from which a reading counts, and how many people it asks, how many
are up to date and how many are pending, counted by the database whatever
the number of people; narrowed to a team or a role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebase.core.roles import Role
from carebase.kb.tests.kb_helpers import article
from carebase.kb.tests.regulation_helpers import (
    acknowledge,
    counts,
    new_version,
    regulation,
    team,
)
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def test_each_regulation_counts_its_people(head_of_support, agent, trainee, mentor):
    support = team("wsparcie", agent, mentor)
    recording = regulation("Nagrywanie rozmów", roles=[Role.TRAINEE], teams=[support])
    passwords = regulation("Hasła i dostęp", roles=[Role.SUPPORT_AGENT])
    acknowledge(recording, agent)
    acknowledge(recording, trainee)
    acknowledge(passwords, agent)
    new_version(passwords, "Hasło ma co najmniej 14 znaków.", significant=True)
    article("Jak przekierować połączenia", "…")  # a guide: not in the report
    draft = regulation("Praca zdalna")
    draft.status = "draft"
    draft.save(update_fields=["status"])

    page = client_for(head_of_support).get("/kb/regulations/").content.decode()
    assert counts(page) == {
        recording.pk: (3, 2, 1),  # agent and mentor by their team, trainee by role
        passwords.pk: (1, 0, 1),  # the agent read version 1; version 2 is significant
    }
    assert page.index("Hasła i dostęp") < page.index("Nagrywanie rozmów")
    assert f'href="/kb/regulations/{recording.pk}/">Nagrywanie rozmów</a>' in page
    row = page.split(f'<tr data-regulation="{passwords.pk}">')[1].split("</tr>")[0]
    assert '<td class="num">2</td>' in row  # live version
    assert row.count('<td class="num">2</td>') == 2  # and required from version 2


def test_a_team_or_a_role_narrows_the_people_counted(head_of_support, agent, trainee, mentor):
    support = team("wsparcie", agent, trainee)
    team("sukces", mentor)
    recording = regulation("Nagrywanie rozmów", roles=[Role.SUPPORT_AGENT, Role.MENTOR])
    passwords = regulation("Hasła i dostęp", roles=[Role.MENTOR])
    acknowledge(recording, agent)
    client = client_for(head_of_support)

    page = client.get("/kb/regulations/", {"team": support.pk}).content.decode()
    assert counts(page) == {recording.pk: (1, 1, 0)}  # nobody of the team is asked the other
    assert f'href="/kb/regulations/{recording.pk}/?team={support.pk}"' in page
    page = client.get("/kb/regulations/", {"role": Role.MENTOR}).content.decode()
    assert counts(page) == {recording.pk: (1, 0, 1), passwords.pk: (1, 0, 1)}
    page = client.get("/kb/regulations/", {"team": support.pk, "role": Role.TRAINEE}).content
    assert "No published regulation asks this team or role" in page.decode()
    readers = client.get(f"/kb/regulations/{recording.pk}/", {"team": support.pk}).content
    assert f'data-person="{agent.pk}"' in readers.decode()
    assert f'data-person="{mentor.pk}"' not in readers.decode()


def test_the_report_takes_as_many_queries_for_forty_people_as_for_two(head_of_support):
    first = make_user("pierwszy", Role.SUPPORT_AGENT)
    make_user("drugi", Role.TRAINEE)
    rules = [
        regulation(f"Regulamin {number}", roles=[Role.SUPPORT_AGENT, Role.TRAINEE])
        for number in range(3)
    ]
    client = client_for(head_of_support)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = {url: queries(url) for url in ("/kb/regulations/", f"/kb/regulations/{rules[0].pk}/")}
    squad = team("wsparcie")
    for number in range(38):
        person = make_user(f"agent{number:02}", Role.SUPPORT_AGENT)
        squad.members.add(person)
        if number % 2:
            acknowledge(rules[0], person)
    acknowledge(rules[0], first)
    many = {url: queries(url) for url in few}
    # The session, the user, their roles, then: the regulations with their
    # counts, the teams to filter by; or the people with their readings,
    # their teams, the teams to filter by, the significant versions.
    assert many == few == {"/kb/regulations/": 5, f"/kb/regulations/{rules[0].pk}/": 8}
    assert queries(f"/kb/regulations/{rules[0].pk}/?format=csv") == 6
    page = client.get("/kb/regulations/").content.decode()
    assert counts(page)[rules[0].pk] == (40, 20, 20)
