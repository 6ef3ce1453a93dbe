"""Domain errors that every interface (pages, API, commands) maps the same way."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class Conflict(Exception):
    """The change collides with existing data (HTTP 409)."""

    def __init__(self, message: str, *, field: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details


def show_errors(form: Any, error: ValidationError | Conflict) -> None:
    """Put an action's refusal on the form it came from: each message at its
    field when the form has one, else at the top."""
    if isinstance(error, Conflict):
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return
    for field, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)
