"""Cursor pagination: lists answer {"items": [...], "next": <cursor or null>}.

Keyset on the primary key: stable while rows are added, and each page is one
indexed range query however deep the client reads. The cursor is opaque.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from typing import Annotated, Any

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.errors import HttpError
from pydantic import AfterValidator

MAX_LIMIT = 200


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        kind, _sep, value = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
        if kind != "id" or not value.isdigit():
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise HttpError(400, "The cursor is not one this API gave out.") from None


def _in_utc(value: datetime) -> datetime:
    """A moment given with any offset, as UTC: ISO 8601 allows offsets that
    PostgreSQL refuses (beyond ±15:59, such as +20:57), and a year-9999
    moment west of UTC is past the last one Python can hold."""
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("This moment is out of range.") from None


# A moment a client gives (a filter, a schedule): any offset, kept as UTC.
Moment = Annotated[datetime, AfterValidator(_in_utc)]

# A database id: bounded so that a huge number is a 422, not a database overflow.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ErrorOut(Schema):
    """Every error: a message, or for 422 a list of {"loc", "msg", "type"} per field."""

    detail: Any


# Documented on every operation, so the schema says what a client may receive.
ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


class PageParams(Schema):
    cursor: str | None = Field(None, description="The `next` of the previous page.")
    limit: int | None = Field(None, ge=1, le=MAX_LIMIT, description="Page size (default 50).")


def paginate(queryset: QuerySet[Any], cursor: str | None, limit: int | None) -> dict[str, Any]:
    size = settings.API_PAGE_SIZE if limit is None else limit
    queryset = queryset.order_by("pk")
    if cursor:
        queryset = queryset.filter(pk__gt=decode_cursor(cursor))
    rows = list(queryset[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    return {"items": rows, "next": encode_cursor(rows[-1].pk) if has_more and rows else None}
