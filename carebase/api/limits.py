"""Bodies that webhooks and PBXs post: read up to a limit, a larger one
answered 413 before anything is stored."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError


def read_body(request: HttpRequest, limit: int, what: str) -> bytes:
    """The request body, or 413 naming the limit ("An event is at most N bytes.")."""
    too_big = HttpError(413, f"{what} is at most {limit} bytes.")
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > limit:
        raise too_big
    raw = request.read(limit + 1)
    if len(raw) > limit:
        raise too_big
    return raw
