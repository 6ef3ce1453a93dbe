"""A PostgreSQL database of a benchmark's own, emptied before each run."""

from __future__ import annotations


def fresh_postgres_database(suffix: str) -> None:
    """Drop and create the database DATABASE_URL names; it must end with
    `suffix` ("_kbbench"), so that no other database is emptied by mistake."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if not name.endswith(suffix):
        raise SystemExit(
            f"On PostgreSQL, point DATABASE_URL at a database named *{suffix}: it is emptied."
        )
    connection.close()
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or None, port=settings["PORT"] or None, user=settings["USER"],
        dbname="postgres", autocommit=True,
    ) as admin:  # fmt: skip
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
