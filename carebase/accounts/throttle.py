"""Slow down password guessing on every sign-in path (the login page, Django
admin, anything that calls authenticate()).

Each attempt is counted before the password is checked, atomically in the
cache (Redis when scaled out), so parallel requests cannot slip past the
limit. The count is kept per account (whatever spelling of it was typed:
username or email) and per client address; a successful sign-in clears the
account's count and takes itself off the address's.
"""

from __future__ import annotations

import contextlib
import hashlib

from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 15 * 60
MAX_ATTEMPTS_PER_ACCOUNT = 10
MAX_ATTEMPTS_PER_ADDRESS = 50
REFUSED_ATTRIBUTE = "_carebase_login_throttled"


def account_key(user_id: int | None, login: str) -> str:
    if user_id is not None:
        return f"login-attempts:user:{user_id}"
    # Unknown names are counted too, so probing for accounts is slowed as well.
    return "login-attempts:name:" + hashlib.sha256(login.strip().lower().encode()).hexdigest()[:32]


def _address_key(request: HttpRequest | None) -> str | None:
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    return f"login-attempts:addr:{address}" if address else None


def _count(key: str) -> int:
    # add() starts the window; incr() is atomic and keeps the expiry.
    if cache.add(key, 1, WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def allow_attempt(request: HttpRequest | None, key: str) -> bool:
    """Count an attempt; False when the account or the address is over its limit."""
    allowed = _count(key) <= MAX_ATTEMPTS_PER_ACCOUNT
    address = _address_key(request)
    if address is not None and _count(address) > MAX_ATTEMPTS_PER_ADDRESS:
        allowed = False
    if not allowed and request is not None:
        setattr(request, REFUSED_ATTRIBUTE, True)
    return allowed


def succeeded(request: HttpRequest | None, key: str) -> None:
    cache.delete(key)
    address = _address_key(request)
    if address is not None:
        with contextlib.suppress(ValueError):
            cache.decr(address)


def was_refused(request: HttpRequest | None) -> bool:
    return bool(getattr(request, REFUSED_ATTRIBUTE, False))
