from django.db import migrations, models

# The full-text index over SearchDocument.terms, in each engine's own way
# (see carebase/core/search.py).
SQLITE = [
    "CREATE VIRTUAL TABLE core_searchdocument_fts USING fts5("
    "terms, content='core_searchdocument', content_rowid='id', prefix='3 5')",
    "CREATE TRIGGER core_searchdocument_fts_insert AFTER INSERT ON core_searchdocument BEGIN"
    " INSERT INTO core_searchdocument_fts(rowid, terms) VALUES (new.id, new.terms); END",
    "CREATE TRIGGER core_searchdocument_fts_delete AFTER DELETE ON core_searchdocument BEGIN"
    " INSERT INTO core_searchdocument_fts(core_searchdocument_fts, rowid, terms)"
    " VALUES ('delete', old.id, old.terms); END",
    "CREATE TRIGGER core_searchdocument_fts_update AFTER UPDATE ON core_searchdocument BEGIN"
    " INSERT INTO core_searchdocument_fts(core_searchdocument_fts, rowid, terms)"
    " VALUES ('delete', old.id, old.terms);"
    " INSERT INTO core_searchdocument_fts(rowid, terms) VALUES (new.id, new.terms); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER core_searchdocument_fts_update",
    "DROP TRIGGER core_searchdocument_fts_delete",
    "DROP TRIGGER core_searchdocument_fts_insert",
    "DROP TABLE core_searchdocument_fts",
]
# A stored tsvector column: matching must not re-parse every document's text.
POSTGRESQL = [
    "ALTER TABLE core_searchdocument ADD COLUMN vector tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, terms)) STORED",
    "CREATE INDEX core_searchdocument_vector ON core_searchdocument USING gin (vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX core_searchdocument_vector",
    "ALTER TABLE core_searchdocument DROP COLUMN vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=32)),
                ("object_id", models.PositiveBigIntegerField()),
                ("terms", models.TextField(blank=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id"), name="search_document_object"
                    )
                ],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
