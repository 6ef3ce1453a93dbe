"""The readers of a regulation download as a CSV file (UTF-8 with a byte
order mark, for spreadsheets): one line per person, not-read first, with
their teams, status, the version they read and when; a name that a
spreadsheet would compute is written as text."""

import csv
import io

import pytest

from carebase.core.roles import Role
from carebase.kb.tests.regulation_helpers import acknowledge, at, new_version, regulation, team
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def test_the_csv_holds_each_person_with_their_status(head_of_support, agent, trainee):
    trouble = make_user("sneaky", Role.SUPPORT_AGENT, first_name="=HYPERLINK(1)", last_name="")
    team("wsparcie", agent, trouble)
    rule = regulation("Nagrywanie rozmów", roles=[Role.SUPPORT_AGENT, Role.TRAINEE])
    acknowledge(rule, agent, at(2026, 12, 8, 10, 30))
    acknowledge(rule, trainee, at(2026, 12, 8, 11, 0))
    new_version(rule, "Nagrania kasujemy po 90 dniach.", significant=True)
    acknowledge(rule, agent, at(2026, 12, 11, 8, 15))

    answer = client_for(head_of_support).get(f"/kb/regulations/{rule.pk}/?format=csv")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer["Content-Disposition"] == f'attachment; filename="{rule.slug}-readers.csv"'
    text = answer.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text[1:]))) == [
        ["Name", "Username", "Email", "Teams", "Status", "Version read", "Read on"],
        ["'=HYPERLINK(1)", "sneaky", "sneaky@example.com", "Wsparcie", "Not read", "", ""],
        [
            "trainee1",
            "trainee1",
            "trainee1@example.com",
            "",
            "Read an older version: must read again",
            "1",
            "2026-12-08T11:00+01:00",
        ],
        [
            "Piotr Agent",
            "agent1",
            "agent1@example.com",
            "Wsparcie",
            "Up to date",
            "2",
            "2026-12-11T08:15+01:00",
        ],
    ]


def test_the_csv_follows_the_filters_and_the_order_of_the_page(head_of_support, agent, trainee):
    team("wsparcie", agent)
    rule = regulation("Nagrywanie rozmów", roles=[Role.SUPPORT_AGENT, Role.TRAINEE])
    client = client_for(head_of_support)
    page = client.get(f"/kb/regulations/{rule.pk}/?role=trainee&order=name").content.decode()
    assert 'href="?role=trainee&amp;order=name&amp;format=csv"' in page
    text = client.get(f"/kb/regulations/{rule.pk}/?role=trainee&format=csv").content.decode()
    assert [row[1] for row in csv.reader(io.StringIO(text[1:]))] == ["Username", "trainee1"]
