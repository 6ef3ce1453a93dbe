"""Appending typed event rows (see AuditEvent)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from carebase.core import deferred
from carebase.core.models import AuditEvent

_LABELS: dict[str, Any] = {}


def event_kinds(choices: type[models.TextChoices]) -> type[models.TextChoices]:
    """Class decorator for an app's EventKind choices: registers their labels."""
    for member in choices:
        _LABELS[member.value] = member.label
    return choices


def event_label(kind: str) -> Any:
    return _LABELS.get(kind, kind)


def event_kind_choices() -> list[tuple[str, Any]]:
    return sorted(_LABELS.items())


def record_event(kind: str, target: models.Model, actor: Any = None, **data: Any) -> AuditEvent:
    event = AuditEvent(
        kind=kind,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        actor=actor if actor is not None and actor.is_authenticated else None,
        data=data,
    )
    if not deferred.defer(_write_events, event):
        event.save(force_insert=True)
    return event


def _write_events(events: list[AuditEvent]) -> None:
    AuditEvent.objects.bulk_create(events)


def events_for(target: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).select_related("actor")


def changes(instance: models.Model, fields: list[str], new_values: dict[str, Any]) -> dict:
    """{field: [old, new]} for each field whose value differs, as JSON-safe strings."""
    result = {}
    for field in fields:
        old = getattr(instance, field)
        new = new_values[field]
        if old != new:
            result[field] = [_plain(old), _plain(new)]
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)
