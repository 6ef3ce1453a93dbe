"""Rebuild the search documents of every app that keeps some (a `search`
module with `reindex_all()`), after a change to the text normalisation."""

from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Rebuild the full-text search documents."

    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            if not config.name.startswith("carebase."):
                continue
            try:
                module = import_module(f"{config.name}.search")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.search":
                    raise
                continue
            reindex_all = getattr(module, "reindex_all", None)
            if reindex_all is None:
                continue
            count = reindex_all()
            self.stdout.write(f"{config.label}: {count} documents")
