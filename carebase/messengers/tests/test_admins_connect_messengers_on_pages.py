"""The messengers pages: admins connect a Telegram bot (the token checked
with the Bot API) and create webhooks, see each one's inbound address and
what it received, and file a failed update again; nobody else may."""

import json

import pytest

from carebase.messengers.models import InboundUpdate, TelegramBot, UpdateStatus, WebhookChannel
from carebase.messengers.tests.bot_api import TOKEN, bot_api
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    with bot_api() as server:
        yield server


def test_an_admin_connects_a_bot_and_sees_its_address(api, admin):
    client = client_for(admin)
    form = {"name": "Pomoc", "token": TOKEN, "api_base_url": api.base_url}
    response = client.post("/messengers/telegram/new/", form)
    bot = TelegramBot.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/messengers/telegram/{bot.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert f"/api/v1/channels/telegram/{bot.secret}" in page
    assert TOKEN not in page
    listing = client.get("/messengers/").content.decode()
    assert "@carebase_pomoc_bot" in listing


def test_a_token_telegram_refuses_is_shown_on_the_form(api, admin):
    form = {"name": "Pomoc", "token": "1:nope", "api_base_url": api.base_url}
    response = client_for(admin).post("/messengers/telegram/new/", form)
    assert response.status_code == 422
    assert "Telegram did not accept this token: Unauthorized" in response.content.decode()
    assert TelegramBot.objects.count() == 0


def test_an_admin_creates_a_webhook_whose_replies_are_signed(admin):
    client = client_for(admin)
    form = {"name": "whatsapp", "callback_url": "https://gateway.example.com/replies"}
    response = client.post("/messengers/webhooks/new/", form)
    assert response.status_code == 422
    assert "give the secret to sign them with" in response.content.decode()
    response = client.post("/messengers/webhooks/new/", {**form, "signing_secret": "k"})
    channel = WebhookChannel.objects.get()
    assert channel.signing_secret == "k"
    page = client.get(response["Location"]).content.decode()
    assert f"/api/v1/channels/webhook/{channel.secret}" in page


def test_a_failed_update_is_filed_again_from_the_page(admin):
    channel = WebhookChannel.objects.create(name="chat")
    body = json.dumps(
        {"message_id": "1", "conversation_id": "c1", "sender": {"id": "u1", "name": "Ola"},
         "text": "Hej"}
    )  # fmt: skip
    update = InboundUpdate.objects.create(
        webhook=channel, external_id="1", body=body, status=UpdateStatus.FAILED, error="boom"
    )
    client = client_for(admin)
    assert "File again" in client.get(f"/messengers/webhooks/{channel.pk}/").content.decode()
    client.post(f"/messengers/updates/{update.pk}/refile/")
    update.refresh_from_db()
    assert update.status == UpdateStatus.PROCESSED and update.ticket.requester.name == "Ola"


def test_only_admins_manage_messengers(head_of_support, agent, customer):
    for user in (head_of_support, agent, customer):
        client = client_for(user)
        assert client.get("/messengers/").status_code == 403
        assert client.post("/messengers/webhooks/new/", {"name": "x"}).status_code == 403
    assert WebhookChannel.objects.count() == 0
