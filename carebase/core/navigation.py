"""Navigation and home-page panels that apps contribute without core importing them.

An AppConfig may define `navigation` (a list of NavItem) and `home_panels`
(a list of dotted paths to functions `panel(request) -> Panel | None`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any  # a lazy translation
    visible: Callable[[Any], bool]
    order: int = 100


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


@cache
def _nav_items() -> list[NavItem]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        items.extend(getattr(config, "navigation", []))
    return sorted(items, key=lambda item: item.order)


@cache
def _panel_builders() -> list[Callable[[HttpRequest], Panel | None]]:
    builders: list[Callable[[HttpRequest], Panel | None]] = []
    for config in apps.get_app_configs():
        builders.extend(import_string(path) for path in getattr(config, "home_panels", []))
    return builders


def navigation_for(request: HttpRequest) -> list[dict[str, Any]]:
    path = request.path
    result = []
    for item in _nav_items():
        if not item.visible(request.user):
            continue
        url = reverse(item.url_name)
        result.append({"url": url, "label": item.label, "active": path.startswith(url)})
    # Of items whose addresses nest (/kb/ and /kb/regulations/), only the
    # nearest is the current page's.
    longest = max((len(entry["url"]) for entry in result if entry["active"]), default=0)
    for entry in result:
        entry["active"] = entry["active"] and len(entry["url"]) == longest
    return result


def home_panels_for(request: HttpRequest) -> list[Panel]:
    panels = [panel for build in _panel_builders() if (panel := build(request)) is not None]
    return sorted(panels, key=lambda panel: panel.order)
