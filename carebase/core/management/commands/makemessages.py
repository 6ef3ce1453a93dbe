"""makemessages without fuzzy matching: a new string stays untranslated (and is
reported by the checks) instead of silently borrowing a similar string's
translation, which Django would then ignore at run time anyway."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
