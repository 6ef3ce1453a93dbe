"""Slow down password guessing: after too many failed sign-ins for one login
name, or from one address, further attempts are refused for a while without
checking the password. Counts live in the cache (Redis when scaled out)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_LOGIN = 10
MAX_FAILURES_PER_ADDRESS = 50


def _keys(request: HttpRequest | None, login: str) -> list[tuple[str, int]]:
    digest = hashlib.sha256(login.strip().lower().encode()).hexdigest()[:32]
    keys = [(f"login-failures:name:{digest}", MAX_FAILURES_PER_LOGIN)]
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    if address:
        keys.append((f"login-failures:addr:{address}", MAX_FAILURES_PER_ADDRESS))
    return keys


def is_locked(request: HttpRequest | None, login: str) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(request, login))


def record_failure(request: HttpRequest | None, login: str) -> None:
    for key, _limit in _keys(request, login):
        # add() starts the window; incr() keeps its expiry.
        if not cache.add(key, 1, WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, WINDOW_SECONDS)


def clear(request: HttpRequest | None, login: str) -> None:
    cache.delete(_keys(request, login)[0][0])
