"""Print a new key for ENCRYPTION_KEYS (docs/configuration.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from carebase.core.crypto import generate_key


class Command(BaseCommand):
    help = "Print a new Fernet key for the ENCRYPTION_KEYS setting."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(generate_key())
