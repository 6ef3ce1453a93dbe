"""Who read the regulations is for those who write the knowledge base:
heads, mentors and admins. An agent, a trainee or a customer is refused
(403), in the page and in its CSV; the main navigation shows the link to
editors only. A number that is not a regulation answers 404."""

import pytest

from carebase.core.roles import Role
from carebase.kb.tests.kb_helpers import article
from carebase.kb.tests.regulation_helpers import regulation
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_editors_open_the_report_and_others_are_refused(
    admin, head_of_support, mentor, agent, trainee, customer
):
    rule = regulation(roles=[Role.SUPPORT_AGENT])
    urls = [
        "/kb/regulations/",
        f"/kb/regulations/{rule.pk}/",
        f"/kb/regulations/{rule.pk}/?format=csv",
    ]
    for editor in (admin, head_of_support, mentor):
        client = client_for(editor)
        assert [client.get(url).status_code for url in urls] == [200, 200, 200]
        assert 'href="/kb/regulations/">Regulations read</a>' in client.get("/").content.decode()
    for person in (agent, trainee, customer):
        client = client_for(person)
        assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    assert 'href="/kb/regulations/"' not in client_for(agent).get("/").content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    answer = client.get("/kb/regulations/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def test_an_article_that_is_not_a_regulation_has_no_readers(head_of_support):
    guide = article("Jak przekierować połączenia", "…", visibility="internal")
    client = client_for(head_of_support)
    assert client.get(f"/kb/regulations/{guide.pk}/").status_code == 404
    assert client.get("/kb/regulations/999999/").status_code == 404
