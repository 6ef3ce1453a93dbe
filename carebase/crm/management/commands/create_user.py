"""create_user <username> --role <role> [--email E] [--password P] [--organization NAME]

Lives in crm because a customer login is a contact of an organization.
Without --password a strong one is generated and printed.
"""

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from carebase.accounts.actions import do_create_user
from carebase.core.errors import Conflict
from carebase.core.roles import Role
from carebase.crm.actions import do_create_customer_user


class Command(BaseCommand):
    help = "Create a staff user or a customer (a customer needs --organization)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            action="append",
            required=True,
            choices=[role.value for role in Role],
            help="The role; repeat for several.",
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--password", default=None)
        parser.add_argument("--name", default="", help="First and last name.")
        parser.add_argument("--organization", default="", help="Required for a customer.")

    def handle(self, *args: Any, **options: Any) -> None:
        roles = [Role(value) for value in options["role"]]
        password = options["password"]
        generated = password is None
        if generated:
            password = secrets.token_urlsafe(12)
        try:
            if Role.CUSTOMER in roles:
                if len(roles) > 1:
                    raise CommandError("A customer cannot hold staff roles too.")
                if not options["organization"]:
                    raise CommandError("A customer needs --organization NAME.")
                user, _contact, organization = do_create_customer_user(
                    options["username"],
                    organization_name=options["organization"],
                    email=options["email"],
                    password=password,
                    name=options["name"],
                )
                where = f" at {organization.name}"
            else:
                first, _sep, last = options["name"].strip().partition(" ")
                user = do_create_user(
                    options["username"],
                    roles=roles,
                    email=options["email"],
                    password=password,
                    first_name=first,
                    last_name=last,
                )
                where = ""
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            raise CommandError(problems) from None
        except Conflict as error:
            raise CommandError(error.message) from None
        role_names = ", ".join(role.value for role in roles)
        self.stdout.write(f"Created {user.username} ({role_names}){where}.")
        if generated:
            self.stdout.write(f"Password: {password}")
