"""Test-wide setup: tasks run inline, passwords hash fast, personas are built in code."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from carebase.testing import *  # noqa: F403  (fixtures: personas and clients)

# Property tests check behaviour, not speed: on two busy cores one example
# can take longer than Hypothesis's default 200 ms and fail a correct test.
hypothesis_settings.register_profile("carebase", deadline=None)
hypothesis_settings.load_profile("carebase")


@pytest.fixture(autouse=True)
def _fresh_cache_and_language():
    # Sign-in throttling counts live in the cache, and a request leaves its
    # language active in the thread: no test inherits another's.
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; test_password_hashing checks it is what we use.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
