"""Password reset sends a real email through an SMTP server on loopback."""

import re

import pytest
from django.contrib.auth import SESSION_KEY

pytestmark = pytest.mark.django_db


def test_a_user_resets_the_password_by_email(client, agent, smtp_inbox):
    response = client.post("/accounts/password-reset/", {"email": "agent1@example.com"})
    assert response.status_code == 302
    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["To"] == "agent1@example.com"
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", text).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    new_password = "a-new-and-long-password-7"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert client.login(username="agent1", password=new_password)


def test_an_unknown_address_sends_nothing_and_reveals_nothing(client, smtp_inbox):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert smtp_inbox.messages == []


def test_the_reset_email_is_in_the_users_language(client, agent, smtp_inbox):
    agent.language = "pl"
    agent.save()
    client.cookies["django_language"] = "pl"
    client.post("/accounts/password-reset/", {"email": "agent1@example.com"})
    assert "hasło" in smtp_inbox.messages[0]["Subject"].lower()


def test_a_used_link_does_not_work_twice(client, agent, smtp_inbox):
    client.post("/accounts/password-reset/", {"email": "agent1@example.com"})
    text = smtp_inbox.messages[0].get_body(("plain",)).get_content()
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", text).group(1)
    page = client.get(link, follow=True)
    new_password = "a-new-and-long-password-7"
    client.post(
        page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    client.logout()
    again = client.get(link, follow=True)
    assert not again.context["validlink"]
    assert SESSION_KEY not in client.session


def test_a_deactivated_accounts_link_sets_nothing(client, agent, smtp_inbox):
    client.post("/accounts/password-reset/", {"email": "agent1@example.com"})
    text = smtp_inbox.messages[0].get_body(("plain",)).get_content()
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", text).group(1)
    agent.is_active = False
    agent.save()
    page = client.get(link, follow=True)
    assert not page.context["validlink"]
