"""Casefolded name keys: organization names unique in Unicode's rules (SQLite's
LOWER() only folds ASCII), and names searchable in any case on both databases."""

from django.db import migrations, models


def name_key(name):
    return " ".join(name.split()).casefold()


def fill(apps, schema_editor):
    for model_name in ("Organization", "Contact"):
        model = apps.get_model("crm", model_name)
        for row in model.objects.only("pk", "name").iterator():
            model.objects.filter(pk=row.pk).update(name_key=name_key(row.name))


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=200),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="contact",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=200, db_index=True),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="organization", name="organization_name_unique_ci"),
        migrations.AlterField(
            model_name="organization",
            name="name_key",
            field=models.CharField(editable=False, max_length=200, unique=True),
        ),
    ]
