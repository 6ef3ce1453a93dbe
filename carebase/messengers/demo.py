"""The demo's messengers: a Telegram bot whose chats are the demo's Telegram
conversations (the agents' replies in them delivered), a few new chats that
arrived through the bot's webhook just now, and a WhatsApp gateway on the
generic webhook with one conversation.

The bot's token is a demo one: its webhook is shown as not registered until
an admin connects a real bot. Seeded once: when a bot exists, nothing is added.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.utils import timezone

from carebase.accounts.models import Team
from carebase.crm.models import ContactIdentity, IdentityKind
from carebase.messengers.actions import (
    do_file_update,
    do_receive_telegram_update,
    do_receive_webhook_message,
)
from carebase.messengers.models import (
    Chat,
    DeliveryStatus,
    OutboundMessage,
    TelegramBot,
    WebhookChannel,
)
from carebase.tickets.models import Channel, Ticket
from carebase.tickets.notify import muted

DEMO_TOKEN = "123456789:demo-token-connect-a-real-bot"
FIRST_USER_ID = 700_000_001

# New chats of the last hour: (first name, last name, language, text).
NEW_CHATS = [
    ("Zofia", "Krawczyk", "pl", "Dzień dobry, czy da się przenieść numer do innego projektu?"),
    ("Tomasz", "Zieliński", "pl", "Nie dochodzą SMS-y z potwierdzeniem wizyty. Pomożecie?"),
    ("Olivia", "Brown", "en", "Hi! How do I add a second admin to our account?"),
]


def seed(context: Any) -> None:
    if TelegramBot.objects.exists():
        return
    support = Team.objects.filter(slug="support").first()
    bot = TelegramBot(
        name="Pomoc carebase",
        username="carebase_pomoc_bot",
        team=support,
        webhook_error="Demo bot: connect a real bot with its token to receive chats.",
    )
    bot.token = DEMO_TOKEN
    bot.save()
    with muted():
        _chats_of_demo_conversations(bot)
        _new_chats(bot)
        _whatsapp(support)


def _chats_of_demo_conversations(bot: TelegramBot) -> None:
    """Each demo Telegram conversation is a chat of the bot; its replies were delivered."""
    user_id = FIRST_USER_ID + 100
    tickets = Ticket.objects.filter(channel=Channel.TELEGRAM).select_related("requester")
    for ticket in tickets.order_by("created_at"):
        contact = ticket.requester
        chat = Chat.objects.filter(bot=bot, contact=contact).first()
        if chat is None:
            known = contact.telegram
            numeric = [value for value in known if value.isdigit()]
            if numeric:
                external = numeric[0]
            else:
                user_id += 1
                external = str(user_id)
                ContactIdentity.objects.get_or_create(
                    kind=IdentityKind.TELEGRAM, value=external, defaults={"contact": contact}
                )
            chat = Chat.objects.create(
                bot=bot, external_id=external, title=contact.name, contact=contact
            )
        if chat.ticket is None or chat.ticket.created_at < ticket.created_at:
            chat.ticket = ticket
            chat.save(update_fields=["ticket"])
        for message in ticket.messages.filter(author_user__isnull=False, kind="reply"):
            OutboundMessage.objects.get_or_create(
                ticket_message=message,
                defaults={
                    "chat": chat,
                    "status": DeliveryStatus.SENT,
                    "attempts": 1,
                    "sent_at": message.created_at + timedelta(seconds=2),
                    "external_ids": [message.pk],
                },
            )


def _new_chats(bot: TelegramBot) -> None:
    """Chats that came in through the bot's webhook in the last hour."""
    now = timezone.now()
    for index, (first, last, language, text) in enumerate(NEW_CHATS):
        user_id = FIRST_USER_ID + index
        sender = {
            "id": user_id, "is_bot": False, "first_name": first, "last_name": last,
            "language_code": language,
        }  # fmt: skip
        update = {
            "update_id": 910_000_000 + index,
            "message": {
                "message_id": 10 + index,
                "from": sender,
                "chat": {"id": user_id, "first_name": first, "last_name": last, "type": "private"},
                "date": int((now - timedelta(minutes=50 - 15 * index)).timestamp()),
                "text": text,
            },
        }
        received = do_receive_telegram_update(bot, json.dumps(update).encode())
        do_file_update(received.update.pk)


def _whatsapp(support: Team | None) -> None:
    channel = WebhookChannel(
        name="whatsapp",
        callback_url="https://whatsapp-gateway.example.com/carebase/replies",
        team=support,
    )
    channel.signing_secret = "demo-signing-secret"
    channel.save()
    at = timezone.now() - timedelta(minutes=20)
    message = {
        "message_id": "wamid.demo.1",
        "conversation_id": "48600700800",
        "sender": {"id": "48600700800", "name": "Marek Wójcik", "phone": "+48 600 700 800"},
        "text": "Dzień dobry, chcę zmienić plan na Business od przyszłego miesiąca.",
        "sent_at": at.isoformat(),
    }
    received = do_receive_webhook_message(channel, json.dumps(message).encode())
    do_file_update(received.update.pk)
