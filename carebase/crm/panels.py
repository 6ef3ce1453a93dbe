"""What the apps built on crm show on a contact's page (its conversations,
its calls...), without crm importing them: each registers a source in its
AppConfig.ready(), which answers a Panel for the viewer, or None."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from carebase.core.navigation import Panel
from carebase.crm.models import Contact

Source = Callable[[Contact, Any], Panel | None]
_SOURCES: list[Source] = []


def register(source: Source) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def panels_for(contact: Contact, user: Any) -> list[Panel]:
    found = [panel for source in _SOURCES if (panel := source(contact, user)) is not None]
    return sorted(found, key=lambda panel: panel.order)
