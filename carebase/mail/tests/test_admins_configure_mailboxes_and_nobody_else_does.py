"""The mailbox settings page and API: admins create and change mailboxes, the
password is stored encrypted and never shown, bad values change nothing, and
to everyone else the settings do not exist."""

import pytest

from carebase.accounts.models import Team
from carebase.core.models import AuditEvent
from carebase.mail.models import Mailbox
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

FORM = {
    "name": "support",
    "address": "Support@Carebase.test",
    "language": "en",
    "signature": "The carebase team",
    "active": "on",
    "acknowledge": "on",
    "acknowledgement": "",
    "imap_host": "imap.carebase.test",
    "imap_port": "993",
    "imap_security": "tls",
    "imap_folder": "INBOX",
    "imap_username": "support",
    "imap_password": "s3cret-imap-pass",
    "imap_password_env": "",
}


def test_an_admin_creates_a_mailbox_whose_password_is_stored_encrypted(admin):
    team = Team.objects.create(name="Support EN", slug="support-en", kind="support")
    client = client_for(admin)
    response = client.post("/mail/mailboxes/new/", {**FORM, "team": team.pk})
    mailbox = Mailbox.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/mail/mailboxes/{mailbox.pk}/"
    assert mailbox.address == "support@carebase.test"
    assert mailbox.team == team
    assert "s3cret" not in mailbox.imap_password_encrypted
    assert mailbox.imap_password() == "s3cret-imap-pass"
    assert AuditEvent.objects.filter(kind="mail.mailbox_created").count() == 1
    page = client.get(f"/mail/mailboxes/{mailbox.pk}/").content.decode()
    assert "s3cret" not in page
    assert "Remove the stored password" in page
    listing = client.get("/mail/mailboxes/").content.decode()
    assert "support@carebase.test" in listing
    assert "IMAP imap.carebase.test:993" in listing


def test_saving_without_a_password_keeps_it_and_forgetting_removes_it(admin):
    client = client_for(admin)
    client.post("/mail/mailboxes/new/", FORM)
    mailbox = Mailbox.objects.get()
    stored = mailbox.imap_password_encrypted
    edit = {**FORM, "imap_password": "", "signature": "Zespół carebase"}
    assert client.post(f"/mail/mailboxes/{mailbox.pk}/", edit).status_code == 302
    mailbox.refresh_from_db()
    assert mailbox.signature == "Zespół carebase"
    assert mailbox.imap_password_encrypted == stored
    # Forgetting the password while IMAP still needs one is refused...
    forget = {**edit, "forget_password": "on"}
    response = client.post(f"/mail/mailboxes/{mailbox.pk}/", forget)
    assert response.status_code == 422
    assert "Enter the IMAP password" in response.content.decode()
    mailbox.refresh_from_db()
    assert mailbox.imap_password() == "s3cret-imap-pass"
    # ...and allowed when the password comes from the environment instead.
    forget["imap_password_env"] = "IMAP_PASSWORD_SUPPORT"
    assert client.post(f"/mail/mailboxes/{mailbox.pk}/", forget).status_code == 302
    mailbox.refresh_from_db()
    assert mailbox.imap_password_encrypted == ""
    assert mailbox.imap_password_env == "IMAP_PASSWORD_SUPPORT"
    event = AuditEvent.objects.filter(kind="mail.mailbox_updated").latest("id")
    assert event.data["changes"]["imap_password"] == ["", "removed"]
    assert "s3cret" not in str(AuditEvent.objects.values_list("data", flat=True))


def test_invalid_settings_are_refused_and_change_nothing(admin):
    client = client_for(admin)
    client.post("/mail/mailboxes/new/", FORM)
    mailbox = Mailbox.objects.get()
    response = client.post("/mail/mailboxes/new/", {**FORM, "name": "other"})
    assert response.status_code == 422
    assert "Another mailbox already has this address" in response.content.decode()
    response = client.post(
        f"/mail/mailboxes/{mailbox.pk}/",
        {**FORM, "imap_username": "", "signature": "changed", "imap_port": "70000"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "needs the user name" in page
    assert "65535" in page
    mailbox.refresh_from_db()
    assert mailbox.signature == "The carebase team"
    assert mailbox.imap_username == "support"
    assert Mailbox.objects.count() == 1


def test_to_agents_and_heads_the_settings_do_not_exist(agent, head_of_support, customer):
    mailbox = Mailbox.objects.create(name="pomoc", address="pomoc@carebase.test")
    for user in (agent, head_of_support, customer):
        client = client_for(user)
        assert client.get("/mail/mailboxes/").status_code == 403
        assert client.post("/mail/mailboxes/new/", FORM).status_code == 403
        assert client.get(f"/mail/mailboxes/{mailbox.pk}/").status_code == 404
        assert client.post(f"/mail/mailboxes/{mailbox.pk}/test/").status_code == 404
        assert client.get("/mail/attention/").status_code == 403
    assert "/mail/mailboxes/" not in client_for(agent).get("/").content.decode()
    assert Mailbox.objects.count() == 1


def test_the_api_creates_lists_and_updates_mailboxes_without_showing_the_password(
    admin, agent, api_as
):
    api = api_as(admin)
    created = api.post(
        "/mailboxes",
        {"name": "pomoc", "address": "pomoc@carebase.test", "imap_host": "imap.example",
         "imap_username": "pomoc", "imap_password": "tajne-haslo"},
    )  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["imap_password_stored"] is True
    assert "tajne" not in created.content.decode()
    mailbox_id = body["id"]
    assert [item["id"] for item in api.get("/mailboxes").json()["items"]] == [mailbox_id]
    changed = api.patch(f"/mailboxes/{mailbox_id}", {"signature": "Pozdrawiamy", "team": None})
    assert changed.status_code == 200
    assert changed.json()["signature"] == "Pozdrawiamy"
    assert Mailbox.objects.get().imap_password() == "tajne-haslo"
    refused = api.patch(f"/mailboxes/{mailbox_id}", {"imap_password": ""})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "imap_password"]
    assert api.patch(f"/mailboxes/{mailbox_id}", {"team": 999}).status_code == 422
    assert api.post("/mailboxes", {"name": "bad name!", "address": "x@y.z"}).status_code == 422
    outsider = api_as(agent)
    assert outsider.get("/mailboxes").status_code == 403
    assert outsider.get(f"/mailboxes/{mailbox_id}").status_code == 404
    assert outsider.patch(f"/mailboxes/{mailbox_id}", {"signature": "x"}).status_code == 404
    assert Mailbox.objects.get().signature == "Pozdrawiamy"


def test_only_imap_password_variables_may_be_named(admin, api_as):
    """Any variable would do to send the server's own secrets (DATABASE_URL,
    SECRET_KEY) to an IMAP host of the editor's choosing."""
    api = api_as(admin)
    body = {"name": "pomoc", "address": "pomoc@carebase.test", "imap_host": "imap.example",
            "imap_username": "pomoc"}  # fmt: skip
    for name in ("DATABASE_URL", "SECRET_KEY", "imap_password_x", "IMAP_PASSWORD_"):
        refused = api.post("/mailboxes", {**body, "imap_password_env": name})
        assert refused.status_code == 422, name
        assert refused.json()["detail"][0]["loc"] == ["body", "imap_password_env"]
    assert Mailbox.objects.count() == 0
    accepted = api.post("/mailboxes", {**body, "imap_password_env": "IMAP_PASSWORD_POMOC"})
    assert accepted.status_code == 201
