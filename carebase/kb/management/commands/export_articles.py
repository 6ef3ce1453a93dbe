"""`manage.py export_articles OUT.zip [--language pl|en] [--status STATUS]`:
write the knowledge base as Markdown files with front matter
(`<language>/<slug>.md` and `_categories.yaml`), the zip that
`import_articles --format markdown` reads back. Prints one JSON line,
`{"articles": n, "file": "OUT.zip"}`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carebase.crm.models import Language
from carebase.kb.models import Article, ArticleStatus
from carebase.kb.transfer import export_zip


class Command(BaseCommand):
    help = "Export the knowledge base's articles as a zip of Markdown files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="The zip file to write.")
        parser.add_argument("--language", choices=Language.values, help="Only this language.")
        parser.add_argument("--status", choices=ArticleStatus.values, help="Only this status.")

    def handle(self, *args: Any, **options: Any) -> None:
        articles = Article.objects.select_related("category", "owner").prefetch_related(
            "tags", "readers", "must_read_roles", "must_read_teams"
        )
        if options["language"]:
            articles = articles.filter(language=options["language"])
        if options["status"]:
            articles = articles.filter(status=options["status"])
        chosen = list(articles.order_by("language", "slug"))
        out = Path(options["out"])
        try:
            out.write_bytes(export_zip(chosen))
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}.") from None
        self.stdout.write(json.dumps({"articles": len(chosen), "file": str(out)}))
