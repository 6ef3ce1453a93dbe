"""Secrets that must be stored (an IMAP password), encrypted at rest.

Fernet (AES-128-CBC with an HMAC-SHA256, from `cryptography`): a stolen
database dump or backup does not give away the passwords in it. The keys come
from ENCRYPTION_KEYS (comma list of Fernet keys: the first encrypts, every one
decrypts, so a key is rotated by putting a new one first); without it, one
key is derived from SECRET_KEY. The derived key is always tried last, so
values stored before ENCRYPTION_KEYS was set still open.
"""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class UnreadableSecret(Exception):
    """A stored secret that no configured key opens (the keys changed)."""


def _derived_key(secret: str) -> bytes:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"carebase stored secrets"
    ).derive(secret.encode())
    return base64.urlsafe_b64encode(derived)


@cache
def _fernet() -> MultiFernet:
    keys = []
    for key in settings.ENCRYPTION_KEYS:
        try:
            keys.append(Fernet(key))
        except ValueError as error:
            raise ImproperlyConfigured(
                "ENCRYPTION_KEYS holds a value that is not a Fernet key "
                "(32 url-safe base64-encoded bytes)."
            ) from error
    # SECRET_KEY_FALLBACKS too: rotating SECRET_KEY the way Django documents
    # must not make the stored passwords unreadable.
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        keys.append(Fernet(_derived_key(secret)))
    return MultiFernet(keys)


def forget_keys() -> None:
    """Read the keys again (tests that change the settings)."""
    _fernet.cache_clear()


def encrypt(value: str) -> str:
    """The value encrypted with the first key; "" stays "" (nothing stored)."""
    if not value:
        return ""
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise UnreadableSecret(
            "A stored password cannot be decrypted with the configured keys: "
            "ENCRYPTION_KEYS or SECRET_KEY changed. Enter the password again."
        ) from error


def generate_key() -> str:
    return Fernet.generate_key().decode()
