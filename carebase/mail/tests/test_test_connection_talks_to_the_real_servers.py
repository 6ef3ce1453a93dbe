""" "Test connection" logs in to a real Dovecot and greets a real SMTP server,
with the password stored encrypted on the mailbox, and says what went wrong
in the server's own words when something does."""

import pytest

from carebase.core.crypto import forget_keys
from carebase.mail.connection import check_mailbox
from carebase.mail.fetch import fetch_mailbox
from carebase.mail.tests.conftest import compose
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_password_mailbox(imap_mailbox, imap):
    imap_mailbox.imap_password_env = ""
    imap_mailbox.set_imap_password(imap.password)
    imap_mailbox.save()
    return imap_mailbox


def test_both_servers_answer_and_the_page_shows_it(
    stored_password_mailbox, imap, smtp_inbox, admin
):
    imap.deliver(compose())
    client = client_for(admin)
    response = client.post(
        f"/mail/mailboxes/{stored_password_mailbox.pk}/test/", headers={"HX-Request": "true"}
    )
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in fragment
    assert "“INBOX” holds 1 message, 1 of them unread" in fragment
    assert "accepts mail from pomoc@carebase.test" in fragment
    assert "failed" not in fragment
    # Read-only: the message is still unread, and nothing was sent.
    assert fetch_mailbox(stored_password_mailbox).stored == 1
    assert smtp_inbox.messages == []


def test_a_wrong_password_and_a_missing_smtp_server_are_named(
    stored_password_mailbox, admin, settings
):
    stored_password_mailbox.set_imap_password("not-the-password")
    stored_password_mailbox.save()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard: nothing listens there
    imap_check, smtp_check = check_mailbox(stored_password_mailbox)
    assert not imap_check.ok
    assert imap_check.summary == "Could not log in to the IMAP server."
    assert "LoginError" in imap_check.detail
    assert not smtp_check.ok
    assert "Could not reach the SMTP server 127.0.0.1:9" in smtp_check.summary
    assert "Connection refused" in smtp_check.detail
    # Without a full page's JavaScript the same answer comes as the page.
    page = client_for(admin).post(f"/mail/mailboxes/{stored_password_mailbox.pk}/test/")
    assert "Could not log in to the IMAP server." in page.content.decode()
    assert "<html" in page.content.decode()


def test_a_password_no_key_opens_any_more_says_to_enter_it_again(stored_password_mailbox, settings):
    settings.SECRET_KEY = "another-secret-key-" * 3
    forget_keys()
    try:
        imap_check, _smtp = check_mailbox(stored_password_mailbox)
        assert not imap_check.ok
        assert "Enter the password again" in imap_check.detail
        result = fetch_mailbox(stored_password_mailbox)
        assert "Enter the password again" in result.error
    finally:
        forget_keys()


def test_keys_rotate_without_losing_stored_passwords(stored_password_mailbox, imap, settings):
    from cryptography.fernet import Fernet

    old_token = stored_password_mailbox.imap_password_encrypted
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    forget_keys()
    try:
        # The value stored under the key derived from SECRET_KEY still opens...
        assert stored_password_mailbox.imap_password() == imap.password
        # ...and saving it again encrypts it with the new first key.
        stored_password_mailbox.set_imap_password(imap.password)
        assert stored_password_mailbox.imap_password_encrypted != old_token
        assert (
            Fernet(settings.ENCRYPTION_KEYS[0]).decrypt(
                stored_password_mailbox.imap_password_encrypted.encode()
            )
            == imap.password.encode()
        )
    finally:
        forget_keys()


def test_the_api_runs_the_same_checks(stored_password_mailbox, smtp_inbox, admin, api_as):
    response = api_as(admin).post(f"/mailboxes/{stored_password_mailbox.pk}/test")
    assert response.status_code == 200
    assert [(check["protocol"], check["ok"]) for check in response.json()] == [
        ("imap", True),
        ("smtp", True),
    ]


def test_rotating_secret_key_with_fallbacks_keeps_stored_passwords(
    stored_password_mailbox, imap, settings
):
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" * 4
    settings.SECRET_KEY_FALLBACKS = [old_key]
    forget_keys()
    try:
        assert stored_password_mailbox.imap_password() == imap.password
    finally:
        forget_keys()
