"""A connected Telegram bot: Bot API updates (recorded real-shaped ones)
posted to /api/v1/channels/telegram/<secret> are stored raw, then filed
once per update_id: each chat a contact with a Telegram identity and a
conversation; photos, documents and voice come in as attachments; edited
messages are kept as new messages. Agents' replies go out through
sendMessage and sendDocument at the configured Bot API address, with
retries and a delivery state on the timeline. A wrong secret is refused."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from carebase.crm.models import ContactIdentity
from carebase.messengers.actions import do_connect_telegram_bot
from carebase.messengers.models import (
    Chat,
    InboundUpdate,
    OutboundMessage,
    TelegramBot,
    UpdateStatus,
)
from carebase.messengers.tasks import file_stranded_updates, retry_messenger_replies
from carebase.messengers.tests.bot_api import TOKEN, Commit, bot_api
from carebase.testing import client_for
from carebase.tickets.actions import do_add_reply, do_change_status
from carebase.tickets.models import Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]
DATA = Path(__file__).parent / "data" / "telegram"


@pytest.fixture
def api():
    with bot_api() as server:
        server.files["files/AgACAgIAAxkBAAIBQmVlarge"] = b"\xff\xd8\xff\xe0 large jpeg"
        server.files["files/AgACAgIAAxkBAAIBQmVsmall"] = b"\xff\xd8\xff\xe0 small"
        server.files["files/BQACAgIAAxkBAAIBQ2Vdoc"] = b"date,calls\n2026-11-30,42\n"
        server.files["files/AwACAgIAAxkBAAIBRGVvoice"] = b"OggS voice"
        yield server


@pytest.fixture
def bot(api, admin):
    return do_connect_telegram_bot(
        name="Pomoc", token=TOKEN, actor=admin, api_base_url=api.base_url
    )


def post(bot, body, secret=None):
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    with Commit.now():
        return Client().post(
            f"/api/v1/channels/telegram/{secret or bot.secret}",
            data=raw,
            content_type="application/json",
        )


def reply(ticket, **fields):
    with Commit.now():
        return do_add_reply(ticket, **fields)


def update(name):
    return json.loads((DATA / f"{name}.json").read_text())


def test_connecting_checks_the_token_and_registers_the_webhook(api, bot, settings):
    assert bot.username == "carebase_pomoc_bot"
    assert bot.token == TOKEN and TOKEN not in bot.token_encrypted
    [webhook] = api.sent("setWebhook")
    assert webhook["url"] == f"{settings.SITE_URL}/api/v1/channels/telegram/{bot.secret}"
    assert bot.webhook_error == ""


def test_a_wrong_token_connects_nothing(api, admin):
    with pytest.raises(ValidationError) as error:
        do_connect_telegram_bot(name="x", token="1:wrong", actor=admin, api_base_url=api.base_url)
    assert "Unauthorized" in str(error.value)
    assert TelegramBot.objects.count() == 0


def test_a_chat_becomes_a_contact_and_a_conversation(bot):
    response = post(bot, update("text"))
    assert response.status_code == 200
    assert response.json()["status"] == "received"
    chat = Chat.objects.get()
    assert chat.contact.name == "Anna Nowak"
    assert chat.contact.language == "pl"
    assert ContactIdentity.objects.get(kind="telegram").value == "507123456"
    ticket = chat.ticket
    assert (ticket.channel, ticket.requester, ticket.status) == ("telegram", chat.contact, "new")
    assert ticket.subject == "Dzień dobry, nie działa mi nagrywanie rozmów od wczoraj."
    assert InboundUpdate.objects.get().status == UpdateStatus.PROCESSED


def test_an_update_posted_twice_is_filed_once(bot):
    post(bot, update("text"))
    again = post(bot, update("text"))
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert InboundUpdate.objects.count() == 1
    assert Ticket.objects.get().messages.count() == 1


def test_photos_documents_and_voice_come_in_as_attachments(bot):
    for name in ("text", "photo", "document", "voice"):
        assert post(bot, update(name)).status_code == 200
    ticket = Ticket.objects.get()
    messages = list(ticket.messages.order_by("created_at", "pk"))
    assert len(messages) == 4
    photo, document, voice = (message.attachments.get() for message in messages[1:])
    assert (photo.filename, photo.file.read()) == ("photo-42.jpg", b"\xff\xd8\xff\xe0 large jpeg")
    assert messages[1].body_text == "Tak wygląda błąd"
    assert (document.filename, document.content_type) == ("raport-polaczen.csv", "text/csv")
    assert messages[2].body_text == "raport-polaczen.csv"  # a file without a caption
    assert (voice.filename, voice.content_type) == ("voice-44.ogg", "audio/ogg")


def test_an_edited_message_is_kept_beside_the_original(bot):
    post(bot, update("text"))
    post(bot, update("edited"))
    texts = list(Ticket.objects.get().messages.order_by("pk").values_list("body_text", flat=True))
    assert texts[1].startswith("Wiadomość edytowana: ") or texts[1].startswith("Edited message: ")
    assert texts[1].endswith("w projekcie Acme.")


def test_group_chats_are_stored_but_open_no_conversation(bot):
    assert post(bot, update("group")).status_code == 200
    assert InboundUpdate.objects.get().status == UpdateStatus.IGNORED
    assert Ticket.objects.count() == 0


def test_a_wrong_secret_gets_403_and_stores_nothing(bot):
    assert post(bot, update("text"), secret="not-the-secret").status_code == 403
    bot.active = False
    bot.save()
    assert post(bot, update("text")).status_code == 403
    assert InboundUpdate.objects.count() == 0


def test_oversized_and_unreadable_bodies(bot, settings):
    settings.MESSENGER_UPDATE_MAX_BYTES = 1024
    big = update("text")
    big["message"]["text"] = "x" * 2000
    assert post(bot, big).status_code == 413
    assert InboundUpdate.objects.count() == 0
    response = post(bot, "{not json")
    assert response.status_code == 400
    stored = InboundUpdate.objects.get()
    assert (stored.body, stored.status) == ("{not json", UpdateStatus.FAILED)


def test_a_file_the_bot_api_cannot_give_now_is_filed_again_later(api, bot):
    api.fail_next = [502]
    post(bot, update("document"))
    stored = InboundUpdate.objects.get()
    assert stored.status == UpdateStatus.FAILED and stored.error == "Bad Gateway"
    assert Ticket.objects.count() == 0
    assert stored.next_attempt_at > timezone.now()  # a pause before the next try
    file_stranded_updates.call()
    assert InboundUpdate.objects.get().status == UpdateStatus.FAILED
    past = timezone.now() - timedelta(minutes=5)
    InboundUpdate.objects.update(received_at=past, next_attempt_at=past)
    file_stranded_updates.call()
    stored.refresh_from_db()
    assert stored.status == UpdateStatus.PROCESSED
    assert Ticket.objects.get().messages.get().attachments.count() == 1


def test_on_the_last_try_the_message_is_filed_without_the_file_it_still_lacks(api, bot):
    api.fail_next = [502] * 5
    post(bot, update("document"))
    for _attempt in range(4):
        past = timezone.now() - timedelta(days=1)
        InboundUpdate.objects.update(received_at=past, next_attempt_at=past)
        file_stranded_updates.call()
    stored = InboundUpdate.objects.get()
    assert (stored.status, stored.attempts) == (UpdateStatus.PROCESSED, 5)
    text = Ticket.objects.get().messages.get().body_text
    assert "raport-polaczen.csv" in text and "Bad Gateway" in text


def test_a_message_to_a_merged_conversation_goes_on_in_the_one_it_was_merged_into(bot, agent):
    from carebase.tickets.actions import do_create_ticket, do_merge_tickets

    post(bot, update("text"))
    chat_ticket = Ticket.objects.get()
    other = do_create_ticket(
        subject="Nagrania", body="x", requester=chat_ticket.requester, channel="email"
    )
    do_merge_tickets(chat_ticket, other, actor=agent)
    post(bot, update("photo"))
    assert Ticket.objects.count() == 2
    assert other.messages.filter(body_text="Tak wygląda błąd").exists()


def test_a_nul_in_a_message_is_dropped_not_a_reason_to_lose_it(bot):
    body = update("text")
    body["message"]["text"] = "Dzień\u0000dobry"
    assert post(bot, body).status_code == 200
    assert Ticket.objects.get().messages.get().body_text == "Dzieńdobry"


def test_a_file_that_can_never_come_is_named_and_the_message_filed(api, bot):
    del api.files["files/BQACAgIAAxkBAAIBQ2Vdoc"]
    post(bot, update("document"))
    assert InboundUpdate.objects.get().status == UpdateStatus.PROCESSED
    text = Ticket.objects.get().messages.get().body_text
    assert "raport-polaczen.csv" in text and "invalid file_id" in text


def test_an_agents_reply_goes_out_with_its_attachment_and_shows_as_sent(api, bot, agent):
    post(bot, update("text"))
    ticket = Ticket.objects.get()
    reply(
        ticket,
        body="Dzień dobry, sprawdzamy nagrania.",
        author_user=agent,
        attachments=[SimpleUploadedFile("instrukcja.pdf", b"%PDF-1.4", "application/pdf")],
    )
    [sent] = api.sent("sendMessage")
    assert sent == {"chat_id": "507123456", "text": "Dzień dobry, sprawdzamy nagrania."}
    [document] = api.sent("sendDocument")
    assert document["document"] == "instrukcja.pdf" and document["chat_id"] == ""
    outbound = OutboundMessage.objects.get()
    assert outbound.status == "sent" and len(outbound.external_ids) == 2
    page = client_for(agent).get(f"/tickets/{ticket.pk}/").content.decode()
    assert "delivery-sent" in page


def test_a_failed_send_is_retried_and_a_blocked_bot_is_shown_as_not_delivered(api, bot, agent):
    post(bot, update("text"))
    ticket = Ticket.objects.get()
    api.fail_next = [502]
    reply(ticket, body="Pierwsza odpowiedź", author_user=agent)
    outbound = OutboundMessage.objects.get()
    assert (outbound.status, outbound.attempts) == ("queued", 1)
    assert outbound.last_error == "Bad Gateway"
    OutboundMessage.objects.update(next_attempt_at=timezone.now())
    retry_messenger_replies.call()
    outbound.refresh_from_db()
    assert outbound.status == "sent"
    assert len(api.sent("sendMessage")) == 2
    api.fail_next = [403]
    reply(ticket, body="Druga odpowiedź", author_user=agent)
    blocked = OutboundMessage.objects.latest("pk")
    assert blocked.status == "failed" and "blocked" in blocked.last_error
    page = client_for(agent).get(f"/tickets/{ticket.pk}/").content.decode()
    assert "delivery-failed" in page


def test_a_message_after_the_conversation_closed_opens_a_follow_up_that_replies_reach(
    api, bot, agent
):
    post(bot, update("text"))
    first = Ticket.objects.get()
    do_change_status(first, "solved", actor=agent)
    do_change_status(first, "closed", actor=agent)
    post(bot, update("photo"))
    follow_up = Ticket.objects.exclude(pk=first.pk).get()
    assert follow_up.follow_up_of == first
    assert Chat.objects.get().ticket == follow_up
    reply(follow_up, body="Widzimy zrzut, dziękujemy.", author_user=agent)
    assert api.sent("sendMessage")[-1]["chat_id"] == "507123456"
