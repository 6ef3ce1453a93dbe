from django.db import migrations

# Keep a search document's row narrow on PostgreSQL: its terms and vector go
# to the TOAST table whenever the row passes the 2 kB threshold, not only when
# it would pass 2 kB after compression. A search reads the rows of every
# match (for their object ids), so a narrow row means four times fewer pages
# at 200,000 conversations; the vector is read only to test a match. Existing
# rows take the narrow form when rewritten (`manage.py search_reindex`, then
# `VACUUM FULL core_searchdocument` to give back the space).
POSTGRESQL = "ALTER TABLE core_searchdocument SET (toast_tuple_target = 128)"
POSTGRESQL_REVERSE = "ALTER TABLE core_searchdocument RESET (toast_tuple_target)"


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_search_document"),
    ]

    operations = [
        migrations.RunPython(_run(POSTGRESQL), _run(POSTGRESQL_REVERSE)),
    ]
