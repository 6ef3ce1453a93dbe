"""The board's numbers come from the database: per feature the distinct
organizations that ask, their MRR counted once each (per currency), and the
conversations; sorted by MRR, organizations or age; the board costs the same
number of queries however many features it lists."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from carebase.testing import client_for
from carebase.workflow.features import (
    do_create_feature,
    do_link_ticket,
    mrr_totals,
    ordered,
    with_counts,
)
from carebase.workflow.models import Feature

from .feature_helpers import conversation, organization, person

pytestmark = pytest.mark.django_db


def counted(feature):
    return with_counts(Feature.objects.filter(pk=feature.pk)).get()


def test_two_conversations_of_one_organization_count_its_mrr_once(agent):
    telnet = organization("Tel-Net", "1200.00")
    radio = organization("Radio Zet", "300.50")
    berlin = organization("Berlin Calls GmbH", "99.00", currency="EUR")
    anna, adam = person("Anna Nowak", telnet), person("Adam Kowal", telnet)
    feature = do_create_feature(title="SMS po nieodebranym", actor=agent)
    for ticket in (
        conversation(anna),
        conversation(anna),
        conversation(adam),
        conversation(person("Ewa Radio", radio)),
        conversation(person("Jonas Berlin", berlin, language="en")),
        conversation(person("Lone Wolf", None)),  # asks, belongs to no organization
    ):
        do_link_ticket(feature, ticket, actor=agent)

    row = counted(feature)
    assert row.conversation_count == 6
    assert row.organization_count == 3
    assert mrr_totals(row) == [(Decimal("1500.50"), "PLN"), (Decimal("99.00"), "EUR")]


def test_a_feature_nobody_asks_for_counts_zero(agent):
    row = counted(do_create_feature(title="Dark mode", actor=agent))
    assert (row.conversation_count, row.organization_count, mrr_totals(row)) == (0, 0, [])


def test_the_board_sorts_by_mrr_by_organizations_and_by_age(agent):
    rich = organization("Bank Pekao", "9000")
    small = [organization(f"Sklep {n}", "100") for n in range(3)]
    now = timezone.now()
    big_money = do_create_feature(title="Eksport do S3", actor=agent, created_at=now - timedelta(3))
    many = do_create_feature(title="Slack", actor=agent, created_at=now - timedelta(2))
    do_create_feature(title="IVR", actor=agent, created_at=now - timedelta(1))
    do_link_ticket(big_money, conversation(person("Piotr Bank", rich)), actor=agent)
    for index, shop in enumerate(small):
        do_link_ticket(many, conversation(person(f"Kasia{index} Sklep", shop)), actor=agent)

    def titles(order):
        return [f.title for f in ordered(with_counts(Feature.objects.all()), order)]

    assert titles("mrr") == ["Eksport do S3", "Slack", "IVR"]
    assert titles("organizations") == ["Slack", "Eksport do S3", "IVR"]
    assert titles("newest") == ["IVR", "Slack", "Eksport do S3"]
    page = client_for(agent).get("/workflow/features/?order=organizations").content.decode()
    assert page.index("Slack") < page.index("Eksport do S3") < page.index("IVR")
    assert "9,000 PLN" in page and "300 PLN" in page


def _features(agent, start, count):
    for number in range(start, start + count):
        shop = organization(f"Firma {number}", "250")
        feature = do_create_feature(title=f"Pomysł {number}", actor=agent)
        do_link_ticket(feature, conversation(person(f"Osoba{number} X", shop)), actor=agent)


def test_the_board_costs_the_same_queries_for_three_features_or_thirty(
    agent, django_assert_max_num_queries
):
    client = client_for(agent)
    _features(agent, 0, 3)
    client.get("/workflow/features/?q=pomysł")  # warm the session and the caches
    # PostgreSQL's full-text search takes a few more statements than FTS5.
    with django_assert_max_num_queries(15) as few:
        assert client.get("/workflow/features/?q=pomysł").status_code == 200
    _features(agent, 3, 27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/workflow/features/?q=pomysł").content.decode()
    assert page.count("Pomysł ") == 30
