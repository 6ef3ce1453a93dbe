"""A regulation's readers' page lists each person it asks to acknowledge it:
"read version N on <date>", "read an older version (N) — must read again" or
"not read". A new version that is not significant keeps those who read an
earlier one up to date; a significant one asks them again. The significant
changes are listed with their notes."""

import pytest

from carebase.core.roles import Role
from carebase.kb.tests.regulation_helpers import (
    acknowledge,
    at,
    new_version,
    readers,
    regulation,
)
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def test_statuses_follow_the_versions_people_read(head_of_support, agent, trainee):
    rule = regulation(roles=[Role.SUPPORT_AGENT, Role.TRAINEE], owner=head_of_support)
    client = client_for(head_of_support)
    url = f"/kb/regulations/{rule.pk}/"
    assert readers(client.get(url).content.decode()) == [
        (agent.pk, "missing", "not read"),
        (trainee.pk, "missing", "not read"),
    ]

    acknowledge(rule, agent, at(2026, 12, 8, 10, 30))
    assert readers(client.get(url).content.decode()) == [
        (trainee.pk, "missing", "not read"),
        (agent.pk, "current", "read version 1 on 12/08/2026"),
    ]

    # A typo fixed: version 2, and whoever read version 1 is still up to date.
    new_version(rule, "Każdą rozmowę nagrywamy po zgodzie klienta.", significant=False)
    assert rule.version == 2 and rule.acknowledge_from == 1
    assert readers(client.get(url).content.decode())[1] == (
        agent.pk,
        "current",
        "read version 1 on 12/08/2026",
    )

    # A new rule: version 3 asks everyone again.
    new_version(
        rule,
        "Nagrania kasujemy po 90 dniach.",
        significant=True,
        note="Nagrania kasujemy po 90 dniach",
        actor=head_of_support,
        when=at(2026, 12, 14, 9, 0),
    )
    page = client.get(url).content.decode()
    assert readers(page) == [
        (trainee.pk, "missing", "not read"),
        (agent.pk, "outdated", "read an older version (1) — must read again"),
    ]
    assert "Up to date: 0 · must read again: 1 · not read: 1" in page
    history = page.split('<section class="card versions">')[1]
    assert '<li data-version="3">' in history and "Nagrania kasujemy po 90 dniach" in history
    assert '<li data-version="1">' in history and "First version" in history
    assert 'data-version="2"' not in history  # not a significant change

    acknowledge(rule, agent, at(2026, 12, 15, 8, 0))
    assert readers(client.get(url).content.decode())[1] == (
        agent.pk,
        "current",
        "read version 3 on 12/15/2026",
    )


def test_sorted_by_name_the_not_read_ones_are_among_the_others(head_of_support):
    adam = make_user("adam", Role.SUPPORT_AGENT, first_name="Adam", last_name="Nowak")
    zofia = make_user("zofia", Role.SUPPORT_AGENT, first_name="Zofia", last_name="Wiśniewska")
    rule = regulation(roles=[Role.SUPPORT_AGENT])
    acknowledge(rule, adam)
    client = client_for(head_of_support)
    by_status = readers(client.get(f"/kb/regulations/{rule.pk}/").content.decode())
    by_name = readers(client.get(f"/kb/regulations/{rule.pk}/?order=name").content.decode())
    assert [row[0] for row in by_status] == [zofia.pk, adam.pk]
    assert [row[0] for row in by_name] == [adam.pk, zofia.pk]


def test_an_inactive_person_is_not_asked(head_of_support, agent, trainee):
    rule = regulation(roles=[Role.SUPPORT_AGENT, Role.TRAINEE])
    trainee.is_active = False
    trainee.save(update_fields=["is_active"])
    page = client_for(head_of_support).get(f"/kb/regulations/{rule.pk}/").content.decode()
    assert [row[0] for row in readers(page)] == [agent.pk]
