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

from fresh_database import fresh_postgres_database  # noqa: E402 (beside this script)


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
        fresh_postgres_database("_kbbench")
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
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would, after a load
    print(f"{indexed:,} articles indexed in {time.perf_counter() - started:.0f} s")
    _measure(options, connection)


def _measure(options, connection) -> None:
    from carebase.accounts.actions import do_create_user
    from carebase.accounts.models import User
    from carebase.core import search
    from carebase.core.roles import Role
    from carebase.kb.access import readable_articles
    from carebase.kb.models import SEARCH_KIND, Article
    from carebase.kb.render import plain_text

    print(f"database: {connection.vendor}; {Article.objects.count():,} articles")
    evaluation = json.loads((ROOT / "bench" / "search_eval.json").read_text(encoding="utf-8"))
    queries = [(item["query"], item["language"]) for item in evaluation["queries"]]
    agent = User.objects.filter(username="bench.agent").first() or do_create_user(
        "bench.agent", roles=[Role.SUPPORT_AGENT], password=None
    )
    readers = {"anonymous": None, "agent": agent}

    def run(reader: object, text: str, language: str) -> float:
        allowed = readable_articles(reader).filter(language=language)
        begun = time.perf_counter()
        parsed = search.ranked_query(SEARCH_KIND, text)
        hits = search.ranked(SEARCH_KIND, text, allowed, limit=10, parsed=parsed)
        articles = Article.objects.in_bulk([hit.object_id for hit in hits])
        for hit in hits:
            search.highlight(plain_text(articles[hit.object_id].body_html), parsed)
        return time.perf_counter() - begun

    # The first search of a word lemmatises it (then cached for the process)
    # and reads cold pages: timed apart.
    first = sorted(run(None, text, language) for text, language in queries)
    print(f"first search of each query: p50 {first[len(first) // 2] * 1000:.1f} ms, "
          f"p95 {first[int(len(first) * 0.95)] * 1000:.1f} ms")  # fmt: skip
    for name, reader in readers.items():
        timings = sorted(
            run(reader, text, language)
            for _round in range(options.rounds)
            for text, language in queries
        )
        count = len(timings)
        print(
            f"{name}: {count} searches, p50 {timings[count // 2] * 1000:.1f} ms, "
            f"p95 {timings[int(count * 0.95)] * 1000:.1f} ms, max {timings[-1] * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
