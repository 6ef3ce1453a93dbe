from django.db import migrations, models

# The weighted full-text index over RankedDocument, in each engine's own way
# (see carebase/core/search.py): FTS5 with three columns ranked by bm25,
# PostgreSQL with one tsvector whose lexemes carry the weight of their field.
SQLITE = [
    "CREATE VIRTUAL TABLE core_rankeddocument_fts USING fts5("
    "title, summary, body, content='core_rankeddocument', content_rowid='id', prefix='3 5')",
    "CREATE TRIGGER core_rankeddocument_fts_insert AFTER INSERT ON core_rankeddocument BEGIN"
    " INSERT INTO core_rankeddocument_fts(rowid, title, summary, body)"
    " VALUES (new.id, new.title, new.summary, new.body); END",
    "CREATE TRIGGER core_rankeddocument_fts_delete AFTER DELETE ON core_rankeddocument BEGIN"
    " INSERT INTO core_rankeddocument_fts(core_rankeddocument_fts, rowid, title, summary, body)"
    " VALUES ('delete', old.id, old.title, old.summary, old.body); END",
    "CREATE TRIGGER core_rankeddocument_fts_update AFTER UPDATE ON core_rankeddocument BEGIN"
    " INSERT INTO core_rankeddocument_fts(core_rankeddocument_fts, rowid, title, summary, body)"
    " VALUES ('delete', old.id, old.title, old.summary, old.body);"
    " INSERT INTO core_rankeddocument_fts(rowid, title, summary, body)"
    " VALUES (new.id, new.title, new.summary, new.body); END",
    # The title and summary alone, for the first tier of results: their
    # lists of matches are a tenth of the body's, so reading them is cheap.
    "CREATE VIRTUAL TABLE core_rankeddocument_head USING fts5("
    "title, summary, content='core_rankeddocument', content_rowid='id')",
    "CREATE TRIGGER core_rankeddocument_head_insert AFTER INSERT ON core_rankeddocument BEGIN"
    " INSERT INTO core_rankeddocument_head(rowid, title, summary)"
    " VALUES (new.id, new.title, new.summary); END",
    "CREATE TRIGGER core_rankeddocument_head_delete AFTER DELETE ON core_rankeddocument BEGIN"
    " INSERT INTO core_rankeddocument_head(core_rankeddocument_head, rowid, title, summary)"
    " VALUES ('delete', old.id, old.title, old.summary); END",
    "CREATE TRIGGER core_rankeddocument_head_update AFTER UPDATE ON core_rankeddocument BEGIN"
    " INSERT INTO core_rankeddocument_head(core_rankeddocument_head, rowid, title, summary)"
    " VALUES ('delete', old.id, old.title, old.summary);"
    " INSERT INTO core_rankeddocument_head(rowid, title, summary)"
    " VALUES (new.id, new.title, new.summary); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER core_rankeddocument_head_update",
    "DROP TRIGGER core_rankeddocument_head_delete",
    "DROP TRIGGER core_rankeddocument_head_insert",
    "DROP TABLE core_rankeddocument_head",
    "DROP TRIGGER core_rankeddocument_fts_update",
    "DROP TRIGGER core_rankeddocument_fts_delete",
    "DROP TRIGGER core_rankeddocument_fts_insert",
    "DROP TABLE core_rankeddocument_fts",
]
POSTGRESQL = [
    "ALTER TABLE core_rankeddocument ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, summary), 'B')"
    " || setweight(to_tsvector('simple'::regconfig, body), 'C')) STORED",
    "CREATE INDEX core_rankeddocument_vector ON core_rankeddocument USING gin (vector)",
    # The title and summary alone, for the first tier of results: matching
    # weights A and B in `vector` would make the index recheck every row
    # that holds the word anywhere.
    "ALTER TABLE core_rankeddocument ADD COLUMN head tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, summary), 'B')) STORED",
    "CREATE INDEX core_rankeddocument_head ON core_rankeddocument USING gin (head)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX core_rankeddocument_head",
    "ALTER TABLE core_rankeddocument DROP COLUMN head",
    "DROP INDEX core_rankeddocument_vector",
    "ALTER TABLE core_rankeddocument DROP COLUMN vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_calendars_serve_organization_tiers"),
    ]

    operations = [
        migrations.CreateModel(
            name="RankedDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=32)),
                ("object_id", models.PositiveBigIntegerField()),
                ("title", models.TextField(blank=True)),
                ("summary", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id"), name="ranked_document_object"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=32)),
                ("term", models.CharField(max_length=64)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "term"), name="search_term_word")
                ],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
