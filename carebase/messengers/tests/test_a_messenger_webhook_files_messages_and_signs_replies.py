"""POST /api/v1/channels/webhook/<secret>: another messenger's messages in a
documented JSON shape, stored raw, filed once per message_id into one
conversation per external conversation; the sender is matched to a contact
by email or phone. Agents' replies are posted to the callback URL, signed
with HMAC-SHA256, and retried while it fails."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from carebase.crm.actions import do_create_contact
from carebase.messengers.actions import do_create_webhook_channel
from carebase.messengers.models import InboundUpdate, OutboundMessage, UpdateStatus
from carebase.messengers.tasks import retry_messenger_replies
from carebase.messengers.tests.bot_api import Commit, bot_api
from carebase.testing import client_for
from carebase.tickets.actions import do_add_reply
from carebase.tickets.models import Ticket

pytestmark = pytest.mark.django_db

MESSAGE = {
    "message_id": "wamid.HBgLNDg2MDEyMzQ1NjcVAgASGBQzQTdGMkQ",
    "conversation_id": "48601234567",
    "sender": {"id": "48601234567", "name": "Anna Nowak", "phone": "+48 601 234 567"},
    "text": "Czy mogę dostać fakturę za listopad?",
    "attachments": [{"url": "https://media.example.com/f/123.pdf", "filename": "zamowienie.pdf"}],
    "sent_at": "2026-12-01T09:15:00+01:00",
}


@pytest.fixture
def receiver():
    with bot_api() as server:
        yield server


@pytest.fixture
def channel(receiver, admin):
    return do_create_webhook_channel(
        name="whatsapp",
        actor=admin,
        callback_url=f"{receiver.base_url}/callback",
        signing_secret="s3cret-signing-key",
    )


def post(channel, body, secret=None):
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    with Commit.now():
        return Client().post(
            f"/api/v1/channels/webhook/{secret or channel.secret}",
            data=raw,
            content_type="application/json",
        )


def test_a_message_opens_a_conversation_for_the_known_contact(channel):
    anna = do_create_contact(actor=None, name="Anna Nowak", phones=["+48601234567"])
    response = post(channel, MESSAGE)
    assert response.status_code == 200 and response.json()["status"] == "received"
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.requester) == ("messenger", anna)
    text = ticket.messages.get().body_text
    assert "Czy mogę dostać fakturę za listopad?" in text
    assert "zamowienie.pdf https://media.example.com/f/123.pdf" in text
    assert InboundUpdate.objects.get().status == UpdateStatus.PROCESSED


def test_a_repeated_message_is_filed_once_and_the_next_joins_the_conversation(channel):
    post(channel, MESSAGE)
    assert post(channel, MESSAGE).json()["status"] == "duplicate"
    post(channel, {**MESSAGE, "message_id": "m-2", "text": "I jeszcze jedno.", "attachments": []})
    ticket = Ticket.objects.get()
    assert ticket.messages.count() == 2
    assert ticket.requester.phones == ["+48601234567"]  # an unknown sender became a contact


def test_bad_bodies_are_kept_with_the_reason_and_file_nothing(channel):
    assert post(channel, "[1, 2").status_code == 400
    response = post(channel, {"conversation_id": "c", "sender": {"id": ""}, "text": ""})
    assert response.status_code == 422
    fields = {tuple(problem["loc"]) for problem in response.json()["detail"]}
    assert ("body", "message_id") in fields and ("body", "sender", "id") in fields
    assert post(channel, {**MESSAGE, "text": "", "attachments": []}).status_code == 422
    assert InboundUpdate.objects.filter(status=UpdateStatus.FAILED).count() == 3
    assert Ticket.objects.count() == 0


def test_a_wrong_secret_gets_403_and_stores_nothing(channel):
    assert post(channel, MESSAGE, secret="guess").status_code == 403
    assert InboundUpdate.objects.count() == 0


def test_an_agents_reply_is_posted_signed_and_retried_while_the_callback_fails(
    receiver, channel, agent
):
    post(channel, MESSAGE)
    ticket = Ticket.objects.get()
    receiver.fail_next = [503]
    with Commit.now():
        do_add_reply(ticket, body="Wysłaliśmy fakturę mailem.", author_user=agent)
    outbound = OutboundMessage.objects.get()
    assert (outbound.status, outbound.last_error) == ("queued", "HTTP 503 Service Unavailable")
    OutboundMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    retry_messenger_replies.call()
    outbound.refresh_from_db()
    assert outbound.status == "sent"
    headers, body = receiver.received[-1]
    sent = json.loads(body)
    assert sent["conversation_id"] == "48601234567"
    assert sent["message"]["text"] == "Wysłaliśmy fakturę mailem."
    expected = hmac.new(
        b"s3cret-signing-key",
        headers["X-Carebase-Timestamp"].encode() + b"." + body,
        hashlib.sha256,
    ).hexdigest()
    assert headers["X-Carebase-Signature"] == f"sha256={expected}"
    page = client_for(agent).get(f"/tickets/{ticket.pk}/").content.decode()
    assert "delivery-sent" in page


def test_a_callback_that_refuses_for_good_is_shown_as_not_delivered(receiver, channel, agent):
    post(channel, MESSAGE)
    receiver.fail_next = [410]
    with Commit.now():
        do_add_reply(Ticket.objects.get(), body="Halo?", author_user=agent)
    assert OutboundMessage.objects.get().status == "failed"
