from django.db import models
from django.utils.translation import gettext_lazy as _

from carebase.core.events import event_kinds


@event_kinds
class EventKind(models.TextChoices):
    MAILBOX_CREATED = "mail.mailbox_created", _("Mailbox created")
    MAILBOX_UPDATED = "mail.mailbox_updated", _("Mailbox updated")
    EMAIL_REPROCESSED = "mail.email_reprocessed", _("Email processed again")
