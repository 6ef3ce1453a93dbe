from django.db import migrations, models

LEAD_HOURS = {"urgent": 8, "high": 4, "normal": 0, "low": -8}


def set_missing_urgency(apps, schema_editor):
    """Any conversation still without one (written around the actions):
    arrival plus three days, moved by priority, as 0006 did."""
    from datetime import timedelta

    from django.db.models import F

    Ticket = apps.get_model("tickets", "Ticket")
    for priority, hours in LEAD_HOURS.items():
        Ticket.objects.filter(priority=priority, urgency_at__isnull=True).update(
            urgency_at=F("created_at") + (timedelta(days=3) - timedelta(hours=hours))
        )


class Migration(migrations.Migration):
    """The inbox's default order sorts by urgency: every conversation has one."""

    dependencies = [("tickets", "0006_priority_reason_and_urgency")]

    operations = [
        migrations.RunPython(set_missing_urgency, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="ticket",
            name="urgency_at",
            field=models.DateTimeField(verbose_name="work on it by"),
        ),
    ]
