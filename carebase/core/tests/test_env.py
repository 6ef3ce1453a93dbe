import pytest
from django.core.exceptions import ImproperlyConfigured

from carebase.core import env


@pytest.mark.parametrize(
    "value, expected", [("true", True), ("1", True), ("off", False), ("NO", False)]
)
def test_booleans_are_read(monkeypatch, value, expected):
    monkeypatch.setenv("FLAG", value)
    assert env.env_bool("FLAG", not expected) is expected


def test_an_unreadable_boolean_fails_loudly_naming_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env.env_bool("DEBUG", False)


def test_an_unset_or_empty_variable_takes_the_default(monkeypatch):
    monkeypatch.delenv("PORTX", raising=False)
    assert env.env_int("PORTX", 8000) == 8000
    monkeypatch.setenv("PORTX", "  ")
    assert env.env_int("PORTX", 8000) == 8000


def test_numbers_fail_loudly_when_not_numbers_or_too_small(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env.env_int("N", 1)
    monkeypatch.setenv("N", "0")
    with pytest.raises(ImproperlyConfigured, match="minimum"):
        env.env_int("N", 1, minimum=1)


def test_lists_choices_and_time_zones(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    assert env.env_list("HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("LANG_X", "de")
    with pytest.raises(ImproperlyConfigured, match="one of"):
        env.env_choice("LANG_X", "en", ("en", "pl"))
    monkeypatch.setenv("TZ_X", "Europe/Atlantis")
    with pytest.raises(ImproperlyConfigured, match="time zone"):
        env.env_timezone("TZ_X", "Europe/Warsaw")


def test_urls_must_have_a_known_scheme(monkeypatch):
    monkeypatch.setenv("REDIS_X", "http://localhost:6379")
    with pytest.raises(ImproperlyConfigured, match="redis://"):
        env.env_url("REDIS_X", None, schemes=("redis",))


def test_database_urls_for_sqlite_and_postgres():
    sqlite = env.database_from_url("DATABASE_URL", "sqlite:////srv/carebase/db.sqlite3")
    assert sqlite["ENGINE"].endswith("sqlite3") and sqlite["NAME"] == "/srv/carebase/db.sqlite3"
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]
    postgres = env.database_from_url(
        "DATABASE_URL", "postgres://care:s%40cret@db.internal:5433/carebase?sslmode=require"
    )
    assert postgres["ENGINE"].endswith("postgresql")
    assert (postgres["USER"], postgres["PASSWORD"], postgres["HOST"], postgres["PORT"]) == (
        "care",
        "s@cret",
        "db.internal",
        "5433",
    )
    assert postgres["NAME"] == "carebase" and postgres["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize("url", ["mysql://x/y", "postgres://host/", "sqlite:///"])
def test_unusable_database_urls_fail_loudly(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.database_from_url("DATABASE_URL", url)


def test_the_secret_key_is_generated_once_and_kept(tmp_path):
    path = tmp_path / "var" / "secret_key"
    first = env.secret_key_from_file(path)
    assert len(first) >= 50
    assert env.secret_key_from_file(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_truncated_secret_key_file_fails_loudly(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("short")
    with pytest.raises(ImproperlyConfigured, match="shorter"):
        env.secret_key_from_file(path)


def test_settings_refuse_a_bad_value_at_start(monkeypatch):
    import importlib

    import carebase.settings

    monkeypatch.setenv("WORKER_STALE_SECONDS", "soon")
    with pytest.raises(ImproperlyConfigured, match="WORKER_STALE_SECONDS"):
        importlib.reload(carebase.settings)
    monkeypatch.delenv("WORKER_STALE_SECONDS")
    importlib.reload(carebase.settings)
