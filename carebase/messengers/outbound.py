"""Agents' replies out to the messengers: Telegram's sendMessage and
sendDocument, or a signed POST to a webhook's callback URL.

A reply is on the timeline whatever the messenger says, with its delivery
state beside it; a failed attempt is tried again after growing pauses, up
to MAX_ATTEMPTS. A reply of several parts (long text, attachments) records
each part sent, so a retry goes on from the first part not sent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebase.messengers import telegram
from carebase.messengers.models import Chat, DeliveryStatus, OutboundMessage, WebhookChannel
from carebase.tickets.channels import Delivery, deliveries_of
from carebase.tickets.models import Channel, Message

MAX_ATTEMPTS = 6
STUCK_AFTER = timedelta(minutes=10)
logger = logging.getLogger(__name__)
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]
TELEGRAM_TEXT_LIMIT = 4096
TIMEOUT = 15


class _Refuse(urllib.request.HTTPRedirectHandler):
    """Redirects are not followed: a signed reply goes where the admin said."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_NO_REDIRECTS = urllib.request.build_opener(_Refuse)


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def chat_for(message: Message) -> Chat | None:
    """The chat a conversation's replies go to: the one holding it now, else
    the requester's latest chat on that messenger (an older conversation)."""
    ticket = message.ticket
    chats = Chat.objects.select_related("bot", "webhook")
    found = chats.filter(ticket=ticket).order_by("-pk").first()
    if found is not None:
        return found
    kind = (
        {"bot__isnull": False} if ticket.channel == Channel.TELEGRAM else {"webhook__isnull": False}
    )
    return chats.filter(contact=ticket.requester_id, **kind).order_by("-pk").first()


class MessengerChannel:
    """Telegram and generic webhooks as the tickets app sees them (tickets.channels)."""

    def deliver(self, message: Message) -> bool:
        if message.ticket.channel not in (Channel.TELEGRAM, Channel.MESSENGER):
            return False
        chat = chat_for(message)
        if chat is None:
            return False
        outbound = OutboundMessage.objects.create(ticket_message=message, chat=chat)
        from carebase.messengers.tasks import send_messenger_reply

        transaction.on_commit(lambda: send_messenger_reply.enqueue(outbound.pk))
        return True

    def deliveries(self, messages: list[Message]) -> dict[int, Delivery]:
        found = OutboundMessage.objects.filter(ticket_message__in=[m.pk for m in messages])
        return deliveries_of(found, dict(DeliveryStatus.choices))

    def originals(self, messages: list[Message]) -> dict[int, str]:
        return {}


def attempt(outbound_id: int) -> OutboundMessage | None:
    """Send one queued reply; claimed by a conditional UPDATE, so two
    workers never send it twice."""
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(
        pk=outbound_id, status=DeliveryStatus.QUEUED, next_attempt_at__lte=now
    ).update(status=DeliveryStatus.SENDING, claimed_at=now)
    if not claimed:
        return None
    outbound = OutboundMessage.objects.select_related(
        "chat", "chat__bot", "chat__webhook", "ticket_message", "ticket_message__author_user"
    ).get(pk=outbound_id)
    outbound.attempts += 1
    try:
        if outbound.chat.bot is not None:
            _send_telegram(outbound)
        else:
            _send_webhook(outbound)
    except Exception as error:
        if not isinstance(error, (DeliveryError, telegram.TelegramError)):
            logger.exception("Messenger reply %s was not sent", outbound.pk)
        outbound.last_error = (str(error) or type(error).__name__)[:2000]
        if outbound.attempts >= MAX_ATTEMPTS or getattr(error, "permanent", False):
            outbound.status = DeliveryStatus.FAILED
        else:
            outbound.status = DeliveryStatus.QUEUED
            outbound.next_attempt_at = now + BACKOFF[min(outbound.attempts - 1, len(BACKOFF) - 1)]
    else:
        outbound.status = DeliveryStatus.SENT
        outbound.sent_at = timezone.now()
        outbound.last_error = ""
    outbound.save(
        update_fields=[
            "status", "attempts", "last_error", "next_attempt_at", "sent_at", "external_ids",
        ]
    )  # fmt: skip
    return outbound


def due() -> list[int]:
    # A sending whose worker died is queued again (its parts sent are recorded).
    OutboundMessage.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=timezone.now() - STUCK_AFTER
    ).update(status=DeliveryStatus.QUEUED)
    return list(
        OutboundMessage.objects.filter(
            status=DeliveryStatus.QUEUED, next_attempt_at__lte=timezone.now()
        ).values_list("pk", flat=True)[:200]
    )


def _text_parts(text: str) -> list[str]:
    text = text.strip()
    return [text[i : i + TELEGRAM_TEXT_LIMIT] for i in range(0, len(text), TELEGRAM_TEXT_LIMIT)]


def _send_telegram(outbound: OutboundMessage) -> None:
    bot = outbound.chat.bot
    assert bot is not None
    message = outbound.ticket_message
    chat_id = outbound.chat.external_id
    parts: list[tuple[str, object]] = [("text", part) for part in _text_parts(message.body_text)]
    parts += [("file", attachment) for attachment in message.attachments.order_by("pk")]
    for kind, part in parts[len(outbound.external_ids) :]:
        if kind == "text":
            sent = telegram.call(bot, "sendMessage", {"chat_id": chat_id, "text": part})
        else:
            with part.file.open("rb") as file:  # type: ignore[attr-defined]
                upload = telegram.Upload(
                    part.filename,  # type: ignore[attr-defined]
                    file.read(),
                    part.content_type,  # type: ignore[attr-defined]
                )
            sent = telegram.call(
                bot, "sendDocument", {"chat_id": chat_id}, upload=("document", upload)
            )
        # Recorded at once: a retry after a crash goes on from the next part.
        outbound.external_ids = [*outbound.external_ids, (sent or {}).get("message_id")]
        OutboundMessage.objects.filter(pk=outbound.pk).update(external_ids=outbound.external_ids)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """What X-Carebase-Signature carries: HMAC-SHA256 of "<timestamp>.<body>"."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def _send_webhook(outbound: OutboundMessage) -> None:
    channel: WebhookChannel | None = outbound.chat.webhook
    assert channel is not None
    if not channel.callback_url.startswith(("https://", "http://")):
        raise DeliveryError(_("The webhook has no callback URL for replies."), permanent=True)
    message = outbound.ticket_message
    body = json.dumps(
        {
            "conversation_id": outbound.chat.external_id,
            "message": {
                "id": message.pk,
                "text": message.body_text,
                "author": str(message.author_user) if message.author_user else "",
                "created_at": message.created_at.isoformat(),
                "attachments": [
                    {"filename": a.filename, "content_type": a.content_type, "size": a.size}
                    for a in message.attachments.order_by("pk")
                ],
            },
        }
    ).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 (the admin's configured http(s) URL)
        channel.callback_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "carebase",
            "X-Carebase-Timestamp": timestamp,
            "X-Carebase-Signature": signature(channel.signing_secret, timestamp, body),
        },
    )
    try:
        with _NO_REDIRECTS.open(request, timeout=TIMEOUT):
            pass
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            raise DeliveryError(
                f"HTTP {error.code}: the callback URL redirects, and signed replies do not follow"
            ) from None
        # A 4xx other than 408/429 does not get better by waiting.
        permanent = 400 <= error.code < 500 and error.code not in (408, 429)
        raise DeliveryError(f"HTTP {error.code} {error.reason}", permanent=permanent) from None
    except (urllib.error.URLError, OSError) as error:
        raise DeliveryError(
            f"The callback URL did not answer: {getattr(error, 'reason', error)}"
        ) from None
    outbound.external_ids = [message.pk]
