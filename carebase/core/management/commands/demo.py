"""Seed the demo company. Idempotent: a second run changes nothing.

Each app may have a `demo.py` with `seed(context)`; they run in the order of
INSTALLED_APPS inside one transaction. `context` carries what earlier seeds
made (for example the staff users) and the logins to print at the end.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule


@dataclass
class DemoContext:
    random: random.Random
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # role, username, password
    made: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)


class Command(BaseCommand):
    help = "Seed the demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")
        parser.add_argument(
            "--tickets", type=int, default=1000, help="How many conversations to seed (once)."
        )

    def handle(self, *args: Any, quiet: bool = False, tickets: int = 1000, **options: Any) -> None:
        # A fixed seed makes every run produce the same names, so get_or_create
        # finds what the previous run made instead of adding more.
        context = DemoContext(random=random.Random(20261122), options={"tickets": tickets})
        with transaction.atomic():
            for config in apps.get_app_configs():
                if config.name.startswith("carebase.") and module_has_submodule(
                    config.module, "demo"
                ):
                    import_module(f"{config.name}.demo").seed(context)
        if quiet:
            return
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins (username / password):"))
        width = max(len(username) for _, username, _ in context.logins) if context.logins else 0
        for role, username, password in context.logins:
            self.stdout.write(f"  {username.ljust(width)}  {password}   ({role})")
