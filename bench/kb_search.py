"""Knowledge-base search at scale: 50,000 generated articles, then the
evaluation set's queries (and their typos) timed as the help center and
the API run them: ranked, filtered by the reader's visibility and language.

    .venv/bin/python bench/kb_search.py                       # SQLite, in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/carebase_kbbench \\
        .venv/bin/python bench/kb_search.py
    .venv/bin/python bench/kb_search.py --articles 10000 --rounds 3

Articles are made of the demo knowledge base's own sentences, shuffled and
recombined, so that the words, their inflections and their frequencies are
those of real help-center text. Prints p50 and p95 (target: p95 ≤ 50 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=2, help="times each query is run")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the articles DATABASE_URL already holds"
    )
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="carebase-kb-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("VAR_DIR", folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebase.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    reuse = options.reuse
    if connection.vendor == "postgresql" and not reuse:
        _fresh_postgres_database()
    call_command("migrate", verbosity=0)
    from carebase.core import search
    from carebase.kb.actions import reindex_all
    from carebase.kb.demo import CONTENT
    from carebase.kb.models import Article, ArticleStatus
    from carebase.kb.render import render_markdown
    from carebase.kb.transfer import import_folder

    search.load_dictionaries()
    if reuse and Article.objects.count() >= options.articles:
        _measure(options, connection)
        return
    import_folder(CONTENT, None)
    rng = random.Random(7)
    sentences = {"pl": [], "en": []}
    titles = {"pl": [], "en": []}
    for article in Article.objects.all():
        text = re.sub(r"[#*`>|\[\]()]", " ", article.body)
        sentences[article.language] += [
            s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 20
        ]
        titles[article.language].append(article.title)
    started = time.perf_counter()
    visibilities = ["public"] * 7 + ["customers", "internal", "internal"]
    batch = []
    for number in range(options.articles):
        language = "pl" if number % 5 < 3 else "en"
        title = f"{rng.choice(titles[language])} {number}"
        body = "\n\n".join(" ".join(rng.sample(sentences[language], 4)) for _p in range(5))
        batch.append(
            Article(
                language=language,
                slug=f"generated-{number}",
                title=title[:200],
                summary=rng.choice(sentences[language])[:300],
                body=body,
                body_html=render_markdown(body),
                visibility=rng.choice(visibilities),
                status=ArticleStatus.PUBLISHED,
                version=1,
            )
        )
        if len(batch) == 2000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)
    indexed = reindex_all(batch=2000)
    print(f"{indexed:,} articles indexed in {time.perf_counter() - started:.0f} s")
    _measure(options, connection)


def _measure(options, connection) -> None:
    from carebase.accounts.actions import do_create_user
    from carebase.accounts.models import User
    from carebase.core import search
    from carebase.core.roles import Role
    from carebase.kb.access import readable_articles
    from carebase.kb.models import SEARCH_KIND, Article

    print(f"database: {connection.vendor}; {Article.objects.count():,} articles")
    evaluation = json.loads((ROOT / "bench" / "search_eval.json").read_text(encoding="utf-8"))
    queries = [(item["query"], item["language"]) for item in evaluation["queries"]]
    agent = User.objects.filter(username="bench.agent").first() or do_create_user(
        "bench.agent", roles=[Role.SUPPORT_AGENT], password=None
    )
    readers = {"anonymous": None, "agent": agent}
    for name, reader in readers.items():
        timings = []
        for _round in range(options.rounds):
            for text, language in queries:
                allowed = readable_articles(reader).filter(language=language)
                begun = time.perf_counter()
                parsed = search.ranked_query(SEARCH_KIND, text)
                hits = search.ranked(SEARCH_KIND, text, allowed, limit=10, parsed=parsed)
                articles = Article.objects.in_bulk([hit.object_id for hit in hits])
                for hit in hits:
                    search.highlight(articles[hit.object_id].body[:5000], parsed)
                timings.append(time.perf_counter() - begun)
        timings.sort()
        count = len(timings)
        print(
            f"{name}: {count} searches, p50 {timings[count // 2] * 1000:.1f} ms, "
            f"p95 {timings[int(count * 0.95)] * 1000:.1f} ms, max {timings[-1] * 1000:.1f} ms"
        )


def _fresh_postgres_database() -> None:
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if not name.endswith("_kbbench"):
        raise SystemExit(
            "On PostgreSQL, point DATABASE_URL at a database named *_kbbench: it is emptied."
        )
    connection.close()
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or None, port=settings["PORT"] or None, user=settings["USER"],
        dbname="postgres", autocommit=True,
    ) as admin:  # fmt: skip
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
