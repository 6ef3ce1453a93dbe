"""The demo's bot holds the Telegram conversations as chats with their
replies delivered, and new chats of the last hour; a WhatsApp webhook has
one conversation. Seeded once."""

from io import StringIO

import pytest
from django.core.management import call_command

from carebase.messengers.models import Chat, InboundUpdate, OutboundMessage, TelegramBot
from carebase.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_bot_with_chats_and_a_webhook_conversation():
    call_command("demo", tickets=80, stdout=StringIO())
    bot = TelegramBot.objects.get()
    assert bot.webhook_error  # a demo token: shown as not registered
    telegram = Ticket.objects.filter(channel="telegram")
    assert telegram.count() >= 4
    assert Chat.objects.filter(bot=bot).count() >= 4
    assert InboundUpdate.objects.filter(bot=bot, status="processed").count() == 3
    assert OutboundMessage.objects.filter(status="sent").exists()
    assert Ticket.objects.filter(channel="messenger").count() == 1
    counts = (Chat.objects.count(), Ticket.objects.count())
    call_command("demo", tickets=80, stdout=StringIO())
    assert (Chat.objects.count(), Ticket.objects.count()) == counts
