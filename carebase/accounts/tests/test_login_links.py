"""Customers sign in with a one-time email link."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

pytestmark = pytest.mark.django_db


def ask(client, email, inbox, capture):
    with capture(execute=True):
        response = client.post("/accounts/login/link/", {"email": email})
    assert response.status_code == 200
    if not inbox.messages:
        return None
    text = inbox.messages[-1].get_body(("plain",)).get_content()
    return re.search(r"http://127\.0\.0\.1:8000(/accounts/login/link/\S+/)", text).group(1)


def test_a_customer_signs_in_with_a_link_that_works_once(
    client, customer, smtp_inbox, django_capture_on_commit_callbacks
):
    link = ask(client, "ACMEUSER@acme.example", smtp_inbox, django_capture_on_commit_callbacks)
    assert smtp_inbox.messages[0]["To"] == "acmeuser@acme.example"
    confirm = client.get(link)
    assert confirm.status_code == 200 and SESSION_KEY not in client.session  # a GET spends nothing
    response = client.post(link)
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == customer.pk
    client.logout()
    assert client.post(link).status_code == 400
    assert SESSION_KEY not in client.session


def test_a_link_expires_after_15_minutes(
    client, customer, smtp_inbox, django_capture_on_commit_callbacks
):
    link = ask(client, "acmeuser@acme.example", smtp_inbox, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert client.post(link).status_code == 400
    assert SESSION_KEY not in client.session


def test_staff_and_unknown_addresses_get_the_same_answer_and_no_email(
    client, agent, smtp_inbox, django_capture_on_commit_callbacks
):
    assert ask(client, "agent1@example.com", smtp_inbox, django_capture_on_commit_callbacks) is None
    assert ask(client, "nobody@example.com", smtp_inbox, django_capture_on_commit_callbacks) is None
    assert smtp_inbox.messages == []


def test_a_forged_link_is_refused(client, customer):
    assert client.post("/accounts/login/link/MQ/abc-def/").status_code == 400
    assert client.post("/accounts/login/link/!!!/abc/").status_code == 400
    assert SESSION_KEY not in client.session


def test_asking_for_links_is_throttled(
    client, customer, smtp_inbox, django_capture_on_commit_callbacks
):
    for _attempt in range(12):
        ask(client, "acmeuser@acme.example", smtp_inbox, django_capture_on_commit_callbacks)
    assert len(smtp_inbox.messages) == 10
