"""`manage.py pbx_token NAME`: a new token for the PBX's call events (the
PBX is created when there is none of that name); the token is printed alone
on its line, once, and the PBX's previous token stops working."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from carebase.telephony.actions import do_issue_pbx_token
from carebase.telephony.models import Pbx


class Command(BaseCommand):
    help = "Print a new token for a PBX to post its call events with."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The PBX's name (letters, digits, - and _).")

    def handle(self, *args: Any, **options: Any) -> None:
        pbx = Pbx.objects.filter(name=options["name"]).first()
        if pbx is None:
            pbx = Pbx(name=options["name"])
            try:
                pbx.full_clean()
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
            pbx.save()
            self.stderr.write(f"Created the PBX “{pbx.name}”.")
        self.stdout.write(do_issue_pbx_token(pbx))
