"""Domain errors that every interface (pages, API, commands) maps the same way."""

from __future__ import annotations

from typing import Any


class Conflict(Exception):
    """The change collides with existing data (HTTP 409)."""

    def __init__(self, message: str, *, field: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details
