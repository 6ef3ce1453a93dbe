from datetime import timedelta

from django.db import migrations
from django.db.models import F

PARKED = ["pending", "on_hold", "solved", "closed"]
PARKED_AFTER = timedelta(days=36_500)  # tickets.models.PARKED_AFTER, as it was


def park(apps, schema_editor):
    """Conversations that do not wait for us, with no SLA clock running,
    sort after the work that does (see tickets.models.urgency_at)."""
    Ticket = apps.get_model("tickets", "Ticket")
    SlaClock = apps.get_model("workflow", "SlaClock")
    running = SlaClock.objects.filter(state="running").values("ticket_id")
    threshold = F("created_at") + timedelta(days=3650)  # not parked yet
    Ticket.objects.filter(status__in=PARKED, urgency_at__lt=threshold).exclude(
        pk__in=running
    ).update(urgency_at=F("urgency_at") + PARKED_AFTER)


def unpark(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    threshold = F("created_at") + timedelta(days=3650)
    Ticket.objects.filter(urgency_at__gte=threshold).update(
        urgency_at=F("urgency_at") - PARKED_AFTER
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0003_feature_requests"),
        ("tickets", "0007_urgency_always_set"),
    ]

    operations = [migrations.RunPython(park, unpark)]
