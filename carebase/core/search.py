"""The one search module: text normalisation and the database's full-text engine.

Every searchable object keeps one `SearchDocument` row per kind ("ticket",
later "kb.article"): the set of its search terms, space separated. The same
`terms()` function feeds documents and queries, so both sides agree:

- words are lower-cased and split on anything that is not a letter or digit;
- each word adds its Polish/English lemmas (simplemma), and the lemma's lemma,
  because simplemma's lemmas of one paradigm do not always meet
  ("nagrania" -> "nagranie" -> "nagrać", "nagrań" -> "nagrać");
- everything is folded to ASCII ("połączeń" -> "polaczen"), so that a query
  typed without Polish letters matches.

A query word matches any of its forms, or any word starting with the stem
its forms share, less the vowels where a Polish ending begins ("połączenia"
and "połączenie" give "polaczen", which matches "połączeń" too); the last
word also matches as a prefix, for search as you type. All words must match.

SQLite keeps the terms in an FTS5 table in sync by triggers; PostgreSQL keeps
them in a generated tsvector column (`vector`) with a GIN index. Both are
created by core's migration 0002, outside the model, as each engine needs.
"""

from __future__ import annotations

import gc
import json
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q
from django.db.models.expressions import RawSQL

from carebase.core import deferred

LANGUAGES = ("pl", "en")
WORD = re.compile(r"[^\W_]+")
# Letters that NFKD does not decompose into a base letter and a mark.
FOLD = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d"})
MIN_STEM = 5
MIN_PREFIX = 3
VOWELS = frozenset("aeiouy")
MAX_WORD = 40
MAX_QUERY_WORDS = 12
# A document is a set of distinct terms; a mailbox's worth of text is far
# below this, and PostgreSQL refuses a tsvector over 1 MB.
MAX_DOCUMENT_CHARS = 500_000


def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.translate(FOLD))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=200_000)
def _lemma(word: str) -> str:
    import simplemma

    return simplemma.lemmatize(word, lang=LANGUAGES).lower()


@lru_cache(maxsize=200_000)
def word_forms(word: str) -> tuple[str, ...]:
    """The word, its lemma and its lemma's lemma, folded, without repeats."""
    lemma = _lemma(word)
    forms = dict.fromkeys(fold(form) for form in (word, lemma, _lemma(lemma)))
    # A lemma may hold what no word does ("zaatar" -> "za'atar"): a quote in
    # a full-text query is its syntax, not a letter.
    return tuple(form for form in forms if WORD.fullmatch(form))


def words(text: str) -> list[str]:
    return [word for word in WORD.findall(text.lower()) if len(word) <= MAX_WORD]


def terms(*texts: str) -> set[str]:
    """The search terms of a document made of these texts."""
    found: set[str] = set()
    for text in texts:
        for word in words(text):
            found.update(word_forms(word))
    return found


def join_terms(found: Iterable[str]) -> str:
    text = " ".join(sorted(found))
    if len(text) > MAX_DOCUMENT_CHARS:
        text = text[:MAX_DOCUMENT_CHARS].rsplit(" ", 1)[0]
    return text


@dataclass(frozen=True)
class QueryWord:
    forms: tuple[str, ...]
    prefix: str  # "" when the word matches only as a whole


def parse_query(text: str) -> list[QueryWord]:
    """What each word of a query matches; [] when nothing searchable is left."""
    query_words = words(text)[:MAX_QUERY_WORDS]
    parsed = []
    for position, word in enumerate(query_words):
        forms = word_forms(word)
        stem = _stem(forms)
        if position == len(query_words) - 1 and len(fold(word)) >= MIN_PREFIX:
            # Search as you type: the last word may be unfinished.
            stem = min(stem or fold(word), fold(word), key=len)
        parsed.append(QueryWord(forms=forms, prefix=stem))
    return parsed


def _stem(forms: tuple[str, ...]) -> str:
    """The start the word's forms share, less up to two trailing vowels, where a
    Polish ending begins ("polaczenia", "polaczenie" -> "polaczen", which also finds
    "polaczen", the genitive plural); "" when too short to be safe."""
    first, *rest = forms
    length = 0
    while length < len(first) and all(
        len(other) > length and other[length] == first[length] for other in rest
    ):
        length += 1
    stem = first[:length]
    for _ending in range(2):
        if len(stem) > MIN_STEM + 1 and stem[-1] in VOWELS:
            stem = stem[:-1]
    return stem if len(stem) >= MIN_STEM else ""


def _exact_forms(word: QueryWord) -> list[str]:
    """The forms that the prefix does not already cover: each costs the
    index another posting list to merge."""
    return [form for form in word.forms if not (word.prefix and form.startswith(word.prefix))]


def _fts5_query(parsed: list[QueryWord]) -> str:
    groups = []
    for word in parsed:
        options = [f'"{form}"' for form in _exact_forms(word)]
        if word.prefix:
            options.append(f'"{word.prefix}"*')
        groups.append("(" + " OR ".join(options) + ")")
    return " AND ".join(groups)


def _tsquery(parsed: list[QueryWord]) -> str:
    groups = []
    for word in parsed:
        options = [f"'{form}'" for form in _exact_forms(word)]
        if word.prefix:
            options.append(f"'{word.prefix}':*")
        groups.append("(" + " | ".join(options) + ")")
    return " & ".join(groups)


# How a search becomes a condition, by how many documents it matches:
# - up to ID_LIST_LIMIT: their ids, fetched at once;
# - up to ID_FETCH_LIMIT (estimated): all their ids, read on from the same
#   query, so that the page sorts a known list;
# - more (a word in one conversation of ten or more): a correlated EXISTS,
#   so that the database walks the list's own order index and stops at a
#   page's worth, matches being dense.
# A long id list goes back as one parameter, checked by hash.
# PostgreSQL's estimates for prefixes are too rough to leave this to the
# planner: each way was measured with bench/inbox.py.
ID_LIST_LIMIT = 1000
ID_FETCH_LIMIT = 20_000


def _sql(kind: str, parsed: list[QueryWord]) -> tuple[str, tuple[str, ...]]:
    if connection.vendor == "postgresql":
        return (
            "SELECT object_id FROM core_searchdocument WHERE kind = %s"
            " AND vector @@ to_tsquery('simple', %s)",
            (kind, _tsquery(parsed)),
        )
    return (
        "SELECT document.object_id FROM core_searchdocument_fts"
        " JOIN core_searchdocument document ON document.id = core_searchdocument_fts.rowid"
        " WHERE core_searchdocument_fts MATCH %s AND document.kind = %s",
        (_fts5_query(parsed), kind),
    )


@contextmanager
def _through_the_index() -> Iterator[None]:
    """On PostgreSQL, read matches through the GIN index only, pages in order
    from the first: a walk of another index, parallel workers or a scan that
    joins another mid-table would spoil the estimate below, and a plain scan
    detoasts and tests every document on its way (half a second for a common
    word at 200,000 conversations)."""
    if connection.vendor != "postgresql":
        yield
        return
    nested = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true),"
            " set_config('enable_indexscan', 'off', true),"
            " set_config('max_parallel_workers_per_gather', '0', true)"
        )
        yield
        if not nested:
            return  # the settings end with this transaction
        # Local settings last to the end of the transaction: put them back.
        cursor.execute(
            "SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name IN"
            " ('enable_seqscan', 'enable_indexscan', 'max_parallel_workers_per_gather')"
        )


def _matches(kind: str, parsed: list[QueryWord]) -> tuple[list[int], bool]:
    """The ids of the matching documents, and whether that is all of them:
    all when there are at most ID_LIST_LIMIT, or (estimated) at most
    ID_FETCH_LIMIT; otherwise the first ID_LIST_LIMIT + 1 found.

    One query, read in two steps through a server-side cursor, so that the
    index is searched once. Both engines return matches in storage order
    (PostgreSQL's bitmap scan by page, FTS5 by rowid), so how far into the
    table the first 1,001 lay is a free estimate of how common the words are:
    1,001 matches in the first 5% of pages mean about 20,000 in all. Pages
    overstate documents, though (long documents fill pages with fewer rows),
    about fourfold at 200,000 conversations, hence the factor of two."""
    sql, params = _sql(kind, parsed)
    if connection.vendor == "postgresql":
        # The raw ctid, "(block,item)": converting it in SQL for every match
        # cost more than the rest of the heap scan; Python reads one.
        sql = sql.replace("SELECT object_id", "SELECT object_id, ctid", 1)
        extent_sql = (
            "SELECT pg_relation_size('core_searchdocument') / current_setting('block_size')::int"
        )
    else:
        sql = sql.replace("SELECT document.object_id", "SELECT document.object_id, document.id", 1)
        extent_sql = "SELECT max(id) FROM core_searchdocument"
    with _through_the_index(), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(extent_sql)
            extent = cursor.fetchone()[0] or 1
        with connection.chunked_cursor() as cursor:
            cursor.execute(f"{sql} LIMIT {max(ID_LIST_LIMIT, ID_FETCH_LIMIT) + 1}", params)
            rows = cursor.fetchmany(ID_LIST_LIMIT + 1)
            if len(rows) <= ID_LIST_LIMIT:
                return [object_id for object_id, _position in rows], True
            read = min((_block(rows[-1][1]) + 1) / extent, 1.0)
            if len(rows) / read > 2 * ID_FETCH_LIMIT:
                return [object_id for object_id, _position in rows], False
            rows += cursor.fetchall()
    return [object_id for object_id, _position in rows], len(rows) <= ID_FETCH_LIMIT


def _block(position: Any) -> int:
    """The page of a match: its ctid "(block,item)" on PostgreSQL, its rowid on
    SQLite. Matches come in storage order, so the last one read is the furthest."""
    if isinstance(position, int):
        return position
    return int(str(position).strip("()").split(",")[0])


class Among(Func):
    """`field` is one of these values (ids, or strings), as one parameter
    whatever their number: an array on PostgreSQL (checked by hash), a JSON
    list on SQLite. Thousands of `IN` parameters cost more to quote, send and
    plan than the query takes to run."""

    output_field = BooleanField()

    def __init__(self, field: str, values: Iterable[int] | Iterable[str]) -> None:
        super().__init__(F(field))
        given: list[int | str] = list(values)
        self.text = any(isinstance(value, str) for value in given)
        self.values = [str(value) for value in given] if self.text else [int(v) for v in given]

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra: Any,
    ) -> tuple[str, tuple[Any, ...]]:
        template = "%(expressions)s IN (SELECT value FROM json_each(%%s))"
        sql, params = super().as_sql(compiler, connection, template=template, **extra)
        return sql, (*params, json.dumps(self.values))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        if self.text:
            template = "%(expressions)s = ANY(%%s::text[])"
            sql, params = super().as_sql(compiler, connection, template=template, **extra)
            return sql, (*params, self.values)
        # An array literal made here: psycopg would quote a list's thousands
        # of numbers one by one in Python, at every query that repeats it.
        template = "%(expressions)s = ANY(%%s::bigint[])"
        sql, params = super().as_sql(compiler, connection, template=template, **extra)
        return sql, (*params, "{" + ",".join(map(str, self.values)) + "}")


def _among(field: str, ids: list[int]) -> Q:
    if len(ids) > 100:
        # One parameter, not thousands: faster to send and to plan.
        return Q(Among(field, ids))
    return Q(**{f"{field}__in": ids})


@dataclass(frozen=True)
class Match:
    condition: Q
    # For common words (more than ID_LIST_LIMIT matches): the first ids
    # found, every one a match. A list can try its other filters on these first: if
    # more than it counts pass, it is long, and nothing else need be read.
    sample: tuple[int, ...] = ()


def find(kind: str, text: str, field: str = "pk") -> Match | None:
    """What matches the query, as a condition on `field` (the id of a `kind`
    object); None when the query has no words. Costs one query to size it."""
    parsed = parse_query(text)
    if not parsed:
        return None
    ids, complete = _matches(kind, parsed)
    sample = tuple(ids[: ID_LIST_LIMIT + 1]) if len(ids) > ID_LIST_LIMIT else ()
    if complete:
        return Match(_among(field, ids), sample)
    if connection.vendor == "postgresql":
        from carebase.core.models import SearchDocument

        documents = SearchDocument.objects.filter(kind=kind, object_id=OuterRef(field)).extra(
            where=["vector @@ to_tsquery('simple', %s)"], params=[_tsquery(parsed)]
        )
        return Match(Q(Exists(documents)), sample)
    sql, params = _sql(kind, parsed)
    return Match(Q(**{f"{field}__in": RawSQL(sql, params)}), sample)  # noqa: S611 (fixed SQL; the query is a parameter)


def matching(kind: str, text: str, field: str = "pk") -> Q | None:
    """The condition "`field` is the id of a `kind` object matching the query";
    None when the query has no words."""
    found = find(kind, text, field)
    return None if found is None else found.condition


def set_document(kind: str, object_id: int, found: Iterable[str]) -> None:
    """Replace the object's document by these terms."""
    if deferred.defer(_write_documents, (kind, object_id, True, set(found))):
        return
    _write_documents([(kind, object_id, True, set(found))])


def add_to_document(kind: str, object_id: int, found: Iterable[str]) -> None:
    """Add terms to the object's document (a new message in a conversation)."""
    if deferred.defer(_write_documents, (kind, object_id, False, set(found))):
        return
    _write_documents([(kind, object_id, False, set(found))])


def _write_documents(changes: list[tuple[str, int, bool, set[str]]]) -> None:
    """Apply (kind, object_id, replace, terms) changes in order, with one
    upsert for all of them; the documents that gain terms are read under
    lock first, so that a concurrent writer's terms are merged, not lost."""
    from carebase.core.models import SearchDocument

    wanted: dict[tuple[str, int], tuple[bool, set[str]]] = {}
    for kind, object_id, replace, found in changes:
        key = (kind, object_id)
        if replace or key not in wanted:
            wanted[key] = (replace, set(found))
        else:
            wanted[key][1].update(found)
    merged = [key for key, (replace, _found) in wanted.items() if not replace]
    existing = _locked_terms(merged)
    missing = [key for key in merged if key not in existing]
    if missing:
        # Another writer may create one at the same moment (the worker's late
        # indexing and an agent's reply): insert if still missing, then merge
        # under the row's lock as usual.
        SearchDocument.objects.bulk_create(
            [SearchDocument(kind=kind, object_id=key, terms="") for kind, key in missing],
            ignore_conflicts=True,
        )
        existing.update(_locked_terms(missing))
    documents = []
    for (kind, object_id), (replace, found) in wanted.items():
        if not replace:
            old = existing.get((kind, object_id), set())
            if found <= old:
                continue
            found = found | old
        documents.append(SearchDocument(kind=kind, object_id=object_id, terms=join_terms(found)))
    if documents:
        # One upsert: update_or_create costs a select and two savepoints more.
        SearchDocument.objects.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=["terms"],
        )


def _locked_terms(keys: list[tuple[str, int]]) -> dict[tuple[str, int], set[str]]:
    from carebase.core.models import SearchDocument

    if not keys:
        return {}
    by_kind: dict[str, list[int]] = {}
    for kind, object_id in keys:
        by_kind.setdefault(kind, []).append(object_id)
    condition = Q()
    for kind, ids in by_kind.items():
        condition |= Q(kind=kind, object_id__in=ids)
    rows = (
        SearchDocument.objects.select_for_update()
        .filter(condition)
        .order_by("kind", "object_id")  # one lock order for every writer: no deadlock
        .values_list("kind", "object_id", "terms")
    )
    return {(kind, object_id): set(terms.split()) for kind, object_id, terms in rows}


_loaded = threading.Event()


def load_dictionaries() -> None:
    """Load the lemma dictionaries (about five seconds for Polish), then take
    them and everything loaded before out of the garbage collector's reach:
    they live as long as the process, and every full collection would walk
    their millions of entries again (some 60 ms, in the middle of a request)."""
    _lemma("start")
    gc.freeze()
    _loaded.set()


def dictionaries_loaded() -> bool:
    """Whether this process has its lemma dictionaries (until then, the first
    search or message waits for them)."""
    return _loaded.is_set()


# Set in a short-lived process that would spend five seconds loading the
# lemma dictionaries to index one message (a mail pipe): the app indexes
# later, in the worker, whose dictionaries are loaded once.
_indexing_later: ContextVar[bool] = ContextVar("search_indexing_later", default=False)


@contextmanager
def indexing_later() -> Iterator[None]:
    token = _indexing_later.set(True)
    try:
        yield
    finally:
        _indexing_later.reset(token)


def is_indexing_later() -> bool:
    return _indexing_later.get()


def warm_up() -> None:
    """Load the dictionaries in the background, so that the first search or
    message of a server does not wait."""
    threading.Thread(target=load_dictionaries, daemon=True, name="search-warm-up").start()


# --- Ranked search: few objects, read by relevance (the knowledge base) ---
#
# Conversations are found by filters and read in queue order; articles are
# read in order of relevance. A ranked document keeps an object's terms in
# three fields that weigh differently (title, summary and tags, body): FTS5
# ranks them with bm25 and these column weights, PostgreSQL with ts_rank
# over lexemes weighted A, B and C (1.0, 0.4 and 0.2).
#
# A query is first read with all its words required; when that finds fewer
# than a page, documents holding only some of the words follow, still by
# rank, so that a question typed as a sentence ("dlaczego nie widzę
# połączeń w analytics") finds the article that answers it. Words that
# carry no meaning (stopwords) are left out unless nothing else is left.
# A word that no document holds, in any form, is taken for a typo and
# replaced by the words of the vocabulary one edit away from it.

BM25_WEIGHTS = (10.0, 4.0, 1.0)
MIN_TYPO_WORD = 4
MAX_CORRECTIONS = 8
MAX_EXPANSION = 40  # terms a stem may stand for; more, and it stays a prefix
RANK_CAP = 500
STOPWORDS = frozenset(
    fold(word)
    for word in (  # noqa: SIM905
        # Polish
        "a aby ale bo by być czy dla do gdy gdzie i ich im jak jaki jakie jest już "
        "ma mam mi mnie mogę może na nad nie nic o od po pod przez przy się są ta tak "
        "te ten to tu w we z za ze że co kiedy dlaczego czemu jaka który która które "
        "moje mój moja mój nasz nasze oraz lub albo też jeszcze czyli u "
        # English
        "the an and or of to in on at for from by with is are was be can do does did "
        "how what why when where which who my our your i we you it its this that not "
        "no into about as if me"
    ).split()
)
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True)
class Hit:
    object_id: int
    score: float


def set_ranked_document(kind: str, object_id: int, title: str, summary: str, body: str) -> None:
    """Replace the object's ranked document by the terms of these texts."""
    set_ranked_documents(kind, [(object_id, title, summary, body)])


def set_ranked_documents(kind: str, rows: Iterable[tuple[int, str, str, str]]) -> None:
    """Replace many objects' ranked documents at once: (id, title, summary, body)."""
    from carebase.core.models import RankedDocument, SearchTerm

    documents = []
    vocabulary: set[str] = set()
    for object_id, title, summary, body in rows:
        fields = [terms(title), terms(summary), terms(body)]
        for found in fields:
            vocabulary.update(found)
        documents.append(
            RankedDocument(
                kind=kind,
                object_id=object_id,
                title=join_terms(fields[0]),
                summary=join_terms(fields[1]),
                body=join_terms(fields[2]),
            )
        )
    RankedDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["title", "summary", "body"],
        batch_size=500,
    )
    SearchTerm.objects.bulk_create(
        [SearchTerm(kind=kind, term=term) for term in sorted(vocabulary) if len(term) <= 64],
        ignore_conflicts=True,
        batch_size=2000,
    )


def optimize_ranked_index() -> None:
    """After a bulk load (an import, a rebuild): SQLite merges the full-text
    indexes' segments into one, PostgreSQL refreshes the table's statistics,
    so that searches read one list per word and plans see the real sizes."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # New entries wait in the GIN indexes' pending lists, which every
            # search reads through until a vacuum: 18 ms a search, not 7, at
            # 50,000 articles after a load.
            cursor.execute(
                "SELECT gin_clean_pending_list('core_rankeddocument_vector'::regclass),"
                " gin_clean_pending_list('core_rankeddocument_head'::regclass)"
            )
            cursor.execute("ANALYZE core_rankeddocument")
            return
        for index in ("core_rankeddocument_fts", "core_rankeddocument_head"):
            cursor.execute(f"INSERT INTO {index}({index}) VALUES ('optimize')")  # noqa: S608


def remove_ranked_document(kind: str, object_id: int) -> None:
    from carebase.core.models import RankedDocument

    RankedDocument.objects.filter(kind=kind, object_id=object_id).delete()


def ranked_query(kind: str, text: str, *, correct: bool = True) -> list[QueryWord]:
    """What each meaningful word of the query matches, as the terms of the
    kind's vocabulary it stands for (its forms, and the words its stem
    begins), typos corrected; [] when nothing searchable is left.

    `correct=False` leaves out the words no document holds instead of
    correcting them: for text a person did not type as a search (a
    conversation's message), which says enough in its other words."""
    parsed = parse_query(text)
    meaningful = [word for word in parsed if word.forms[0] not in STOPWORDS]
    found = [_in_vocabulary(kind, word, correct) for word in (meaningful or parsed)]
    return [word for word in found if word is not None]


def _in_vocabulary(kind: str, word: QueryWord, correct: bool = True) -> QueryWord | None:
    """The word as exact terms that documents hold. A stem becomes the
    terms it begins, read from the vocabulary's index: matching a handful
    of exact terms costs the full-text index a fraction of what a prefix
    does (it reads every term of the prefix in every segment). A word no
    document holds, in any form, is taken for a typo: the terms one edit
    away stand for it."""
    from carebase.core.models import SearchTerm

    vocabulary = SearchTerm.objects.filter(kind=kind)
    condition = Q(term__in=word.forms)
    prefix = word.prefix
    if prefix:
        # A range, not LIKE: SQLite's LIKE ignores case and so its index.
        condition |= Q(term__gte=prefix, term__lt=prefix + "\uffff")
    # One query: the forms the vocabulary holds, and the terms the stem begins.
    held = list(
        vocabulary.filter(condition)
        .order_by("term")
        .values_list("term", flat=True)[: len(word.forms) + MAX_EXPANSION + 1]
    )
    extended = [term for term in held if prefix and term.startswith(prefix)]
    found = [term for term in held if term in word.forms and term not in extended]
    if prefix and len(extended) <= MAX_EXPANSION:
        found += extended
        prefix = ""
    if found or (prefix and extended):
        return QueryWord(forms=tuple(dict.fromkeys(found or word.forms)), prefix=prefix)
    if not correct:
        return None
    typed = word.forms[0]
    if len(typed) < MIN_TYPO_WORD:
        return word
    candidates = vocabulary.filter(Among("term", sorted(one_edit_away(typed))))
    corrections = sorted(candidates.values_list("term", flat=True))[:MAX_CORRECTIONS]
    return QueryWord(forms=tuple(corrections), prefix="") if corrections else word


def one_edit_away(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away."""
    splits = [(word[:index], word[index:]) for index in range(len(word) + 1)]
    found = {left + right[1:] for left, right in splits if right}
    found |= {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    found |= {left + char + right[1:] for left, right in splits if right for char in ALPHABET}
    found |= {left + char + right for left, right in splits for char in ALPHABET}
    found.discard(word)
    return found


def ranked(
    kind: str, text: str, allowed: Any, limit: int = 10, parsed: list[QueryWord] | None = None
) -> list[Hit]:
    """The documents of `kind` that match the query, best first, among the
    ids that the queryset `allowed` selects (the reader's visibility).

    Read in tiers, each ranked, each only while the page is not full:
    documents with every word in their title or summary (SQLite reads a
    second index of those two fields alone); then with every word anywhere;
    then with some of the words. A tier that matches more than RANK_CAP
    documents ranks the RANK_CAP most recently indexed of them: ranking
    costs a few microseconds a document, and a word found in most of 50,000
    articles would cost more than the page may take."""
    if parsed is None:
        parsed = ranked_query(kind, text)
    if not parsed:
        return []
    hits: list[Hit] = []
    tiers = [(True, True), (True, False)]
    if len(parsed) > 1:
        tiers.append((False, False))
    # PostgreSQL: through the GIN indexes (see _through_the_index); with a
    # LIMIT, the planner would walk another index in the hope of stopping
    # early, and read every row's vector on the way.
    with _through_the_index():
        for every_word, head_only in tiers:
            seen = {hit.object_id for hit in hits}
            found = _ranked_sql(kind, parsed, allowed, limit + len(hits), every_word, head_only)
            hits += [hit for hit in found if hit.object_id not in seen][: limit - len(hits)]
            if len(hits) >= limit:
                break
    return hits


def _ranked_sql(
    kind: str,
    parsed: list[QueryWord],
    allowed: Any,
    limit: int,
    every_word: bool,
    head_only: bool,
) -> list[Hit]:
    column = (
        "core_rankeddocument.object_id"
        if connection.vendor == "postgresql"
        else "document.object_id"
    )
    allowed_sql, allowed_params = _correlated(allowed, column)
    if connection.vendor == "postgresql":
        query = _tsquery(parsed)
        if not every_word:
            query = query.replace(") & (", ") | (")
        # Head only: the vector of the title and summary alone.
        field = "head" if head_only else "vector"
        # The candidates first, at most RANK_CAP of them, then their rank.
        sql = (
            f"SELECT object_id, ts_rank({field}, to_tsquery('simple', %s)) AS score FROM ("  # noqa: S608
            f" SELECT object_id, {field} FROM core_rankeddocument"
            f" WHERE kind = %s AND {field} @@ to_tsquery('simple', %s)"
            f" AND {allowed_sql} LIMIT {RANK_CAP}) candidates"
            " ORDER BY score DESC, object_id LIMIT %s"
        )
        params: tuple[Any, ...] = (query, kind, query, *allowed_params, limit)
    else:
        query = _fts5_query(parsed)
        if not every_word:
            query = query.replace(") AND (", ") OR (")
        # Head only: the index of titles and summaries alone.
        index = "core_rankeddocument_head" if head_only else "core_rankeddocument_fts"
        weights = ", ".join(str(weight) for weight in BM25_WEIGHTS[: 2 if head_only else 3])
        # The oldest of the RANK_CAP newest matches the reader may see: FTS5
        # reads matches in rowid order, either way, without ranking them.
        bound = (
            f"SELECT coalesce(min(rowid), 0) FROM (SELECT {index}.rowid FROM {index}"  # noqa: S608
            f" JOIN core_rankeddocument document ON document.id = {index}.rowid"
            f" WHERE {index} MATCH %s AND document.kind = %s AND {allowed_sql}"
            f" ORDER BY {index}.rowid DESC LIMIT {RANK_CAP})"
        )
        sql = (
            f"SELECT document.object_id, -bm25({index}, {weights}) AS score"  # noqa: S608
            f" FROM {index} JOIN core_rankeddocument document ON document.id = {index}.rowid"
            f" WHERE {index} MATCH %s AND {index}.rowid >= ({bound})"
            f" AND document.kind = %s AND {allowed_sql}"
            " ORDER BY score DESC, document.object_id LIMIT %s"
        )
        params = (query, query, kind, *allowed_params, kind, *allowed_params, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Hit(object_id, float(score)) for object_id, score in cursor.fetchall()]


# An id no row has, compiled into the reader's queryset where the document's
# id will stand (see _correlated).
_MARKER = -7_461_093_287


def _correlated(allowed: Any, column: str) -> tuple[str, list[Any]]:
    """ "The document is among `allowed`" as a correlated EXISTS on `column`.
    An `IN (allowed)` list made the database collect every readable id (tens
    of thousands) at each query; EXISTS looks up only the few hundred
    documents a tier ranks, by primary key."""
    sql, params = allowed.order_by().filter(pk=_MARKER).values("pk").query.sql_with_params()
    position = list(params).index(_MARKER)
    pieces = sql.split("%s")
    sql = "%s".join(pieces[: position + 1]) + column + "%s".join(pieces[position + 1 :])
    return f"EXISTS ({sql})", [*params[:position], *params[position + 1 :]]


def _matches_in(text: str, parsed: list[QueryWord]) -> list[tuple[int, int, str]]:
    """(start, end, folded word) of each word of `text` that the query
    matches in any form. The text is folded once, not word by word (where
    folding changes its length, word by word), and a word is lemmatised only
    when it begins as some query term does."""
    forms = {form for word in parsed for form in word.forms}
    prefixes = tuple(word.prefix for word in parsed if word.prefix)
    starts = {candidate[:3] for candidate in (*forms, *prefixes)}
    lowered = text.lower()
    folded = fold(lowered)
    aligned = len(folded) == len(lowered)
    found = []
    for word in WORD.finditer(folded if aligned else lowered):
        plain = word.group() if aligned else fold(word.group())
        if plain[:3] not in starts:
            continue  # most words of a text share no start with the query's
        if not (
            plain in forms
            or (prefixes and plain.startswith(prefixes))
            or any(
                form in forms or (prefixes and form.startswith(prefixes))
                for form in word_forms(lowered[word.start() : word.end()])
            )
        ):
            continue
        found.append((word.start(), word.end(), plain))
    return found


def _best_window(matches: list[tuple[int, int, str]], length: int) -> int:
    """Where the window of `length` holding the most distinct matching words
    begins (the first such), in one pass."""
    best, start, end = -1, 0, 0
    inside: dict[str, int] = {}
    for first, _finish, word in matches:
        while end < len(matches) and matches[end][0] < first + length:
            inside[matches[end][2]] = inside.get(matches[end][2], 0) + 1
            end += 1
        if len(inside) > best:
            best, start = len(inside), first
        inside[word] -= 1
        if not inside[word]:
            del inside[word]
    return start


def highlight(text: str, parsed: list[QueryWord], length: int = 240) -> str:
    """An excerpt of `text` about `length` characters long around the words
    that match the query, escaped, the matches in <mark>: the snippet shown
    under a search result."""
    from django.utils.html import escape

    matches = _matches_in(text[:20_000], parsed)
    start = 0
    if matches:
        start = _best_window(matches, length)
        start = max(0, text.rfind(" ", 0, max(0, start - 40)) + 1)
    end = min(len(text), start + length)
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + length // 2)
    pieces = ["…" if start > 0 else ""]
    position = start
    for begin, finish, _word in matches:
        if begin < start or finish > end:
            continue
        pieces.append(escape(text[position:begin]))
        pieces.append(f"<mark>{escape(text[begin:finish])}</mark>")
        position = finish
    pieces.append(escape(text[position:end]))
    pieces.append("…" if end < len(text) else "")
    return " ".join("".join(pieces).split())
