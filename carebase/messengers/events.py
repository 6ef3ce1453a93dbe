from django.db import models
from django.utils.translation import gettext_lazy as _

from carebase.core.events import event_kinds


@event_kinds
class EventKind(models.TextChoices):
    BOT_CONNECTED = "messengers.bot_connected", _("Telegram bot connected")
    BOT_UPDATED = "messengers.bot_updated", _("Telegram bot changed")
    WEBHOOK_CREATED = "messengers.webhook_created", _("Messenger webhook created")
    WEBHOOK_UPDATED = "messengers.webhook_updated", _("Messenger webhook changed")
