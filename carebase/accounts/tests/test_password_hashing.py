import pytest
from django.contrib.auth.hashers import get_hasher

from carebase.core.roles import Role
from carebase.testing import make_user

pytestmark = pytest.mark.django_db


def test_passwords_are_stored_with_argon2(settings):
    from django.conf import settings as live

    settings.PASSWORD_HASHERS = live.PASSWORD_HASHERS  # undo the tests' fast hasher
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = make_user("hashme", Role.TRAINEE)
    assert user.password.startswith("argon2$")
    assert get_hasher("default").algorithm == "argon2"
    assert user.check_password("correct-horse-battery-42")


def test_the_production_setting_puts_argon2_first():
    import importlib

    import carebase.settings as module

    fresh = importlib.reload(module)
    assert fresh.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
