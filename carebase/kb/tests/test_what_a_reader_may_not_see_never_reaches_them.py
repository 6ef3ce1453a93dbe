"""Found in review: old versions, a role-restricted regulation's title, a
translation's link and search matches beyond the reader's visibility must
not reach them."""

import pytest
from django.test import Client

from carebase.kb.actions import (
    ArticleData,
    do_acknowledge,
    do_update_article,
    pending_acknowledgements,
)
from carebase.kb.tests.kb_helpers import article
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_only_editors_read_versions_and_differences(api_as, customer, agent, head_of_support):
    item = article("Rabaty", "INTERNAL SECRET discount 40%", visibility="internal")
    do_update_article(
        item,
        ArticleData(title="Rabaty", body="Public text", visibility="public"),
        None,
        publish=True,
    )
    for reader in (customer, agent):
        assert api_as(reader).get(f"/kb/articles/{item.pk}/versions").status_code in (403, 404)
        diff = api_as(reader).get(f"/kb/articles/{item.pk}/diff", **{"from": 1, "to": 2})
        assert diff.status_code in (403, 404)
    versions = api_as(head_of_support).get(f"/kb/articles/{item.pk}/versions").json()["items"]
    assert len(versions) == 2
    assert api_as(customer).get(f"/kb/articles/{item.pk}").json()["reader_roles"] == []


def test_a_regulation_one_may_not_read_is_never_asked_of_them(agent, head_of_support):
    with pytest.raises(Exception, match="must also be allowed"):
        article(
            "Plan zwolnień", "Tajne.", kind="regulation", visibility="roles",
            reader_roles=["head_of_support"], must_read_roles=["support_agent"],
        )  # fmt: skip
    shown = article("Zasady czatu", "Jawne.", kind="regulation", visibility="internal",
                    must_read_roles=["support_agent"])  # fmt: skip
    assert pending_acknowledgements(agent) == [shown]


def test_search_finds_the_readers_article_behind_many_newer_hidden_ones(settings):
    from carebase.core import search

    public = article("Faktura jako PDF", "Pobierz fakturę.")
    for number in range(6):
        article(f"Faktura wewnętrzna {number}", "Faktura.", visibility="internal")
    old_cap = search.RANK_CAP
    search.RANK_CAP = 3  # fewer than the newer hidden matches
    try:
        page = Client().get("/help/pl/search/", {"q": "faktura"}).content.decode()
    finally:
        search.RANK_CAP = old_cap
    assert public.help_url() in page


def test_a_lemma_with_a_quote_does_not_break_search(api_as, agent):
    article("Przyprawy", "Zaatar i inne.")
    assert Client().get("/help/en/search/", {"q": "zaatar"}).status_code == 200
    assert api_as(agent).get("/kb/search", q="zaatar za'atar").status_code == 200


def test_odd_numbers_in_addresses_are_ignored_not_errors(head_of_support):
    item = article("Cennik", "Treść.")
    client = client_for(head_of_support)
    for url in (
        "/kb/?category=%C2%B2",
        f"/kb/?category={'9' * 500}",
        f"/kb/{item.pk}/versions/?from=%C2%B2",
        "/kb/categories/?edit=%C2%B2",
        "/kb/?q=a%00b",
    ):
        assert client.get(url).status_code == 200, url


def test_an_acknowledgement_is_of_the_version_that_was_shown(agent):
    regulation = article("Skrypt rozmowy", "v1", kind="regulation", visibility="internal",
                         must_read_roles=["support_agent"])  # fmt: skip
    do_update_article(
        regulation,
        ArticleData.of(regulation, body="v2"),
        None,
        publish=True,
        significant=True,
    )
    response = client_for(agent).post(f"/kb/{regulation.pk}/acknowledge/", {"version": "1"})
    assert response.status_code == 302
    assert not regulation.acknowledgements.exists()
    do_acknowledge(regulation, agent, 2)
    assert regulation.acknowledgements.get().version == 2
