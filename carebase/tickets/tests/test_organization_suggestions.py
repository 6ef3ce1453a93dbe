import pytest

from carebase.crm.actions import do_create_organization
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_the_organization_filter_suggests_names_containing_what_was_typed(agent):
    for name in ("Żabka Polska", "Zabawki Kraków", "Orlen"):
        do_create_organization(actor=None, name=name)
    response = client_for(agent).get("/tickets/organizations/", {"organization": "ab"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="Zabawki Kraków">' in html
    assert '<option value="Żabka Polska">' in html
    assert "Orlen" not in html


def test_one_letter_suggests_nothing_and_customers_get_nothing(agent, customer):
    assert (
        "option"
        not in client_for(agent)
        .get("/tickets/organizations/", {"organization": "a"})
        .content.decode()
    )
    assert (
        client_for(customer).get("/tickets/organizations/", {"organization": "ac"}).status_code
        == 404
    )
