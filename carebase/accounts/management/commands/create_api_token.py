from typing import Any

from django.core.management.base import BaseCommand, CommandError

from carebase.accounts.actions import do_create_api_token
from carebase.accounts.models import User


class Command(BaseCommand):
    help = "Create an API token for a user and print it alone on one line."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="What the token is for.")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is deactivated.")
        _token, raw = do_create_api_token(user, name=name, actor=None)
        self.stdout.write(raw)
