"""Audit-log kinds of the tickets app's settings. A conversation's own changes
are TicketEvent rows (models.EventKind): its timeline and the KPIs' input."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebase.core.events import event_kinds


@event_kinds
class AuditKind(models.TextChoices):
    VIEW_SAVED = "tickets.view_saved", _("Inbox view saved")
    VIEW_DELETED = "tickets.view_deleted", _("Inbox view deleted")
