"""Every role is a group of the same name; Support and Customer Success exist from the start."""

from django.db import migrations

ROLES = [
    "admin", "head_of_support", "support_agent", "head_of_success", "cs_manager",
    "mentor", "trainee", "sales", "customer",
]  # fmt: skip
TEAMS = [("support", "Support", "support"), ("success", "Customer Success", "success")]


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Team = apps.get_model("accounts", "Team")
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    for slug, name, kind in TEAMS:
        Team.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
