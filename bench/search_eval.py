"""How well the knowledge base's search finds the right article: recall@5
and MRR over the evaluation set (bench/search_eval.json) on the demo's
knowledge base.

    .venv/bin/python bench/search_eval.py            # SQLite, a fresh database in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/carebase_eval \\
        .venv/bin/python bench/search_eval.py
    .venv/bin/python bench/search_eval.py --misses   # and the queries missed

The queries are searched as a support agent (who reads public, customers'
and internal articles), in the query's language, as the help center does.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fresh_database import fresh_postgres_database  # noqa: E402 (beside this script)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="list the queries missed")
    parser.add_argument("--k", type=int, default=5)
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="carebase-search-eval-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/eval.sqlite3")
    os.environ.setdefault("VAR_DIR", folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebase.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        fresh_postgres_database("_eval")
    call_command("migrate", verbosity=0)
    from carebase.accounts.actions import do_create_user
    from carebase.accounts.models import User
    from carebase.core import search
    from carebase.core.roles import Role
    from carebase.kb.access import readable_articles
    from carebase.kb.demo import CONTENT
    from carebase.kb.models import SEARCH_KIND, Article
    from carebase.kb.transfer import import_folder

    search.load_dictionaries()
    Article.objects.all().delete()
    import_folder(CONTENT, None)
    reader = User.objects.filter(username="eval.agent").first() or do_create_user(
        "eval.agent", roles=[Role.SUPPORT_AGENT], password=None
    )
    evaluation = json.loads((ROOT / "bench" / "search_eval.json").read_text(encoding="utf-8"))
    slugs = {(a.language, a.slug): a.pk for a in Article.objects.all()}
    found_at_k = 0
    reciprocal = 0.0
    misses = []
    timings = []
    per_language: dict[str, list[int]] = {}
    for item in evaluation["queries"]:
        language = item["language"]
        expected = {slugs[(language, slug)] for slug in item["expected"]}
        started = time.perf_counter()
        hits = search.ranked(
            SEARCH_KIND, item["query"], readable_articles(reader).filter(language=language), 10
        )
        timings.append(time.perf_counter() - started)
        ranked_ids = [hit.object_id for hit in hits]
        rank = next((i + 1 for i, pk in enumerate(ranked_ids) if pk in expected), None)
        hit = rank is not None and rank <= options.k
        found_at_k += hit
        reciprocal += 1 / rank if rank else 0.0
        per_language.setdefault(language, []).append(int(hit))
        if not hit:
            titles = Article.objects.in_bulk(ranked_ids[:3])
            misses.append(
                (
                    item["query"],
                    language,
                    item["expected"],
                    rank,
                    [titles[pk].slug for pk in ranked_ids[:3]],
                )
            )
    count = len(evaluation["queries"])
    timings.sort()
    print(f"database: {connection.vendor}; articles: {len(slugs)}; queries: {count}")
    print(f"recall@{options.k}: {found_at_k / count:.3f}  ({found_at_k} of {count})")
    print(f"MRR: {reciprocal / count:.3f}")
    for language, results in sorted(per_language.items()):
        share = sum(results) / len(results)
        print(f"  {language}: recall@{options.k} {share:.3f} over {len(results)} queries")
    print(f"search time: p50 {timings[count // 2] * 1000:.1f} ms, max {timings[-1] * 1000:.1f} ms")
    if options.misses:
        for query, language, expected, rank, top in misses:
            print(f"  MISS [{language}] {query!r}: expected {expected}, rank {rank}, top {top}")


if __name__ == "__main__":
    main()
