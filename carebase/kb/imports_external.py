"""Articles from a Zendesk Guide or a Freshdesk Solutions export.

Each reader turns an export (JSON as the vendor's API returns it, or a CSV)
into categories and `Document`s for `transfer.import_documents`, which saves
them all or nothing. A reader that finds a problem raises
ValidationError({"files": [...]}) with one line per article before anything
is saved. docs/knowledge-import.md lists the shapes and how fields map.

A source article keeps its identity across imports through its translation
key (`zendesk-<id>`, `freshdesk-<id>`): the key fixes the translation group,
and an article imported before keeps its address even when its title
changed, so that importing the same export again changes nothing. For that
the readers look at the addresses already taken; they never write.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from carebase.kb.html_markdown import html_to_markdown
from carebase.kb.models import Article, ArticleKind, ArticleStatus, Visibility
from carebase.kb.transfer import TRANSLATION_NAMESPACE, Document, ImportReport, import_documents

Categories = list[dict[str, Any]]

# --- From entries to documents ---


@dataclass
class _Entry:
    """One article in one locale, as an export gives it."""

    source: str  # names the article in problem lines
    key: str  # the same for every translation of the article
    locale: str
    title: str
    html: str
    visibility: str
    status: str
    category: str | None = None  # the key of its shelf
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    updated: dt.date | None = None


@dataclass
class _Shelf:
    """A category, a section or a folder of the export: a category here."""

    key: str
    parent: str | None = None
    position: int = 0
    names: dict[str, str] = field(default_factory=dict)  # language (or "") → name
    descriptions: dict[str, str] = field(default_factory=dict)


def language_of(locale: Any) -> str | None:
    """pl for "pl", "pl-pl"...; en for "en", "en-us", "en-GB"...; None for
    anything else."""
    value = str(locale or "").strip().lower()
    if value.startswith("pl"):
        return "pl"
    if value.startswith("en"):
        return "en"
    return None


def slug_for(title: str, length: int = 110) -> str:
    """An address from a title: ASCII, lower case, hyphens ("Ł" → "l",
    which Unicode does not fold)."""
    folded = slugify(title.replace("ł", "l").replace("Ł", "L"))
    return folded[:length].strip("-")


def _date(value: Any) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(str(value).strip()).date()
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _words(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(word).strip() for word in value if str(word).strip()]
    return [word.strip() for word in str(value or "").split(",") if word.strip()]


def _named(where: str, identifier: Any, locale: Any = "", title: Any = "") -> str:
    name = _("%(where)s, article %(id)s") % {"where": where, "id": identifier}
    if locale:
        name += f" ({locale})"
    if title:
        name += f" “{title}”"
    return name


def _categories(shelves: dict[str, _Shelf]) -> tuple[Categories, dict[str, str]]:
    """Category rows, parents first, and the slug of each shelf."""

    def depth(shelf: _Shelf) -> int:
        seen = {shelf.key}
        while shelf.parent in shelves and shelf.parent not in seen:
            seen.add(shelf.parent)
            shelf = shelves[shelf.parent]
        return len(seen)

    ordered = sorted(shelves.values(), key=lambda shelf: (depth(shelf), shelf.position, shelf.key))
    slugs: dict[str, str] = {}
    rows = []
    for shelf in ordered:
        name_pl = shelf.names.get("pl") or shelf.names.get("") or shelf.names.get("en") or ""
        name_en = shelf.names.get("en") or shelf.names.get("") or name_pl
        name_pl = name_pl or name_en or shelf.key
        base = slug_for(name_pl, 70) or slug_for(name_en, 70) or "category"
        slug, number = base, 2
        while slug in slugs.values():
            slug, number = f"{base}-{number}", number + 1
        slugs[shelf.key] = slug
        parent = slugs.get(shelf.parent or "")  # None also for a parent in a loop
        rows.append(
            {
                "slug": slug,
                "parent": parent,
                "position": shelf.position,
                "name_pl": name_pl,
                "name_en": name_en,
                "description_pl": shelf.descriptions.get("pl") or shelf.descriptions.get("", ""),
                "description_en": shelf.descriptions.get("en") or shelf.descriptions.get("", ""),
            }
        )
    return rows, slugs


def _documents(
    entries: list[_Entry], shelf_slugs: dict[str, str], problems: list[str]
) -> list[Document]:
    """Documents for the entries, each article once per language, addresses
    unique per language; a problem line for each entry that cannot be."""
    ready: list[tuple[_Entry, str]] = []
    seen: dict[tuple[str, str], _Entry] = {}
    for entry in entries:
        language = language_of(entry.locale)
        if not entry.title.strip():
            problems.append(f"{entry.source}: " + _("it has no title"))
        elif not entry.locale.strip():
            problems.append(f"{entry.source}: " + _("it does not say its language"))
        elif language is None:
            problems.append(
                f"{entry.source}: "
                + _("its language “%(locale)s” is neither Polish (pl) nor English (en)")
                % {"locale": entry.locale}
            )
        elif (entry.key, language) in seen:
            problems.append(
                f"{entry.source}: "
                + _("the same article is already imported in this language as %(other)s")
                % {"other": seen[entry.key, language].source}
            )
        else:
            seen[entry.key, language] = entry
            ready.append((entry, language))
    groups = {uuid.uuid5(TRANSLATION_NAMESPACE, entry.key) for entry, _language in ready}
    # An article imported before keeps its address: that is how a second
    # import finds it, even after a change of title.
    kept = {
        (str(group), language): slug
        for group, language, slug in Article.objects.filter(group__in=groups).values_list(
            "group", "language", "slug"
        )
    }
    taken = {
        language: set(Article.objects.filter(language=language).values_list("slug", flat=True))
        for language in ("pl", "en")
    }
    documents = []
    for entry, language in ready:
        group = str(uuid.uuid5(TRANSLATION_NAMESPACE, entry.key))
        slug = kept.get((group, language))
        if slug is None:
            base = slug_for(entry.title) or "article"
            slug, number = base, 2
            while slug in taken[language]:
                slug, number = f"{base}-{number}", number + 1
            taken[language].add(slug)
        meta = {
            "slug": slug,
            "translation": entry.key,
            "title": entry.title.strip(),
            "summary": entry.summary.strip(),
            "language": language,
            "kind": ArticleKind.GUIDE,
            "visibility": entry.visibility,
            "status": entry.status,
            "category": shelf_slugs.get(entry.category or ""),
            "tags": entry.tags,
            "reviewed": entry.updated,
        }
        try:
            body = html_to_markdown(entry.html)
        except RecursionError:
            problems.append(f"{entry.source}: " + _("its HTML is nested too deeply to read"))
            continue
        documents.append(Document(entry.source, meta, body))
    return documents


# --- Reading files ---


def _singular(key: str) -> str:
    return "category" if key == "categories" else key[:-1]


def _is_page(content: Any, keys: tuple[str, ...]) -> bool:
    """An object as an API answers: a list under a known key ("articles"),
    or one object under its singular ("article")."""
    return isinstance(content, dict) and any(
        isinstance(content.get(key), list) or isinstance(content.get(_singular(key)), dict)
        for key in keys
    )


def _load_json(path: Path, keys: tuple[str, ...], problems: list[str]) -> dict[str, list[Any]]:
    """The lists under `keys` from one JSON file, or from every .json file
    of a folder. A file may hold one page of an API's answer, a list of
    pages, or a bare list, as a list endpoint returns it: then its name
    says what it lists (folders.json, articles-2.json; anything else is
    articles)."""
    found: dict[str, list[Any]] = {key: [] for key in keys}
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        problems.append(_("%(path)s: the folder holds no .json file") % {"path": path.name})
    for file in files:
        try:
            content = json.loads(file.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            problems.append(
                _("%(path)s: this is not JSON (%(error)s)") % {"path": file.name, "error": error}
            )
            continue
        if isinstance(content, list) and all(_is_page(page, keys) for page in content):
            pages = content
        elif isinstance(content, list):
            named = next((key for key in keys if file.stem.lower().startswith(key)), "articles")
            pages = [{named: content}]
        else:
            pages = [content]
        for page in pages:
            if not _is_page(page, keys):
                problems.append(
                    _("%(path)s: expected an object with a list of %(keys)s")
                    % {"path": file.name, "keys": ", ".join(f"“{key}”" for key in keys)}
                )
                break
            for key in keys:
                value, one = page.get(key), page.get(_singular(key))
                if value is not None and not isinstance(value, list):
                    problems.append(
                        _("%(path)s: “%(key)s” is not a list") % {"path": file.name, "key": key}
                    )
                elif value:
                    found[key].extend(value)
                elif isinstance(one, dict):
                    found[key].append(one)
    return found


def _objects(rows: list[Any], where: str, kind: str, problems: list[str]) -> list[dict[str, Any]]:
    good = []
    for index, row in enumerate(rows, start=1):
        if isinstance(row, dict):
            good.append(row)
        else:
            problems.append(
                _("%(where)s: %(kind)s number %(index)s is not an object")
                % {"where": where, "kind": kind, "index": index}
            )
    return good


def _column(name: str) -> str:
    return re.sub(r"[\s_-]+", "", name).lower()


def _read_csv(
    path: Path, columns: dict[str, tuple[str, ...]], required: tuple[str, ...], problems: list[str]
) -> list[dict[str, str]]:
    """The rows of a CSV with a header row, by field name: each field is
    read from the first of its column names the header has (case, spaces
    and underscores aside). Comma, semicolon or tab separated."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(
            _("%(path)s: cannot be read (%(error)s)") % {"path": path.name, "error": error}
        )
        return []
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [_column(name) for name in next(reader, [])]
    where = {
        name: next(
            (header.index(_column(alias)) for alias in aliases if _column(alias) in header), None
        )
        for name, aliases in columns.items()
    }
    missing = [columns[name][0] for name in required if where[name] is None]
    if missing:
        problems.append(
            _("%(path)s: the header row has no column %(columns)s")
            % {"path": path.name, "columns": ", ".join(missing)}
        )
        return []
    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        rows.append(
            {
                name: cells[index].strip() if index is not None and index < len(cells) else ""
                for name, index in where.items()
            }
        )
    return rows


def _csv_shelf(
    shelves: dict[str, _Shelf], locale: str, levels: list[tuple[str, str, str]]
) -> str | None:
    """The shelf of a CSV row, from (prefix, id, name) of each level, the
    outermost first: a level is known by its id when the CSV has one (so
    that its names in both languages meet), else by its name within its
    parent."""
    language = language_of(locale) or ""
    key = None
    for prefix, identifier, name in levels:
        if not identifier and not name:
            continue
        parent, key = key, f"{prefix}{identifier or f'{key}/{slug_for(name)}'}"
        shelves.setdefault(key, _Shelf(key, parent)).names.setdefault(language, name or identifier)
    return key


def _fail_on(problems: list[str]) -> None:
    if problems:
        raise ValidationError({"files": problems})


def _is_true(value: str) -> bool | None:
    value = value.strip().lower()
    if value in ("", "0", "false", "no", "n", "nie", "f"):
        return False
    if value in ("1", "true", "yes", "y", "tak", "t"):
        return True
    return None


# --- Zendesk Guide ---

ZENDESK_KEYS = ("articles", "translations", "sections", "categories")
ZENDESK_COLUMNS = {
    "id": ("Article ID", "ID"),
    "title": ("Title",),
    "body": ("Body", "HTML"),
    "locale": ("Locale", "Language"),
    "category_id": ("Category ID",),
    "category": ("Category", "Category name"),
    "section_id": ("Section ID",),
    "section": ("Section", "Section name"),
    "labels": ("Labels", "Label names", "Tags"),
    "draft": ("Draft",),
    "segment": ("User Segment", "User segment ID", "Visible to"),
    "updated": ("Updated At", "Updated", "Edited At"),
}
PUBLIC_SEGMENTS = ("", "everyone", "anyone", "all", "public", "null", "none", "wszyscy")


def _shelf_names(shelf: _Shelf, row: dict[str, Any]) -> None:
    language = language_of(row.get("locale")) or ""
    if row.get("name"):
        shelf.names.setdefault(language, str(row["name"]))
    if row.get("description"):
        shelf.descriptions.setdefault(language, str(row["description"])[:300])


def read_zendesk(path: Path) -> tuple[Categories, list[Document]]:
    """A Zendesk Guide export: a JSON file or a folder of JSON files from
    the Help Center API, or the article CSV."""
    problems: list[str] = []
    if path.is_file() and path.suffix.lower() == ".csv":
        entries, shelves = _zendesk_csv(path, problems)
    else:
        entries, shelves = _zendesk_json(path, problems)
    categories, slugs = _categories(shelves)
    documents = _documents(entries, slugs, problems)
    _fail_on(problems)
    return categories, documents


def _zendesk_json(path: Path, problems: list[str]) -> tuple[list[_Entry], dict[str, _Shelf]]:
    data = _load_json(path, ZENDESK_KEYS, problems)
    where = path.name
    shelves: dict[str, _Shelf] = {}
    for row in _objects(data["categories"], where, _("category"), problems):
        shelf = shelves.setdefault(f"c{row.get('id')}", _Shelf(f"c{row.get('id')}"))
        shelf.position = _int(row.get("position")) or 0
        _shelf_names(shelf, row)
    for row in _objects(data["sections"], where, _("section"), problems):
        shelf = shelves.setdefault(f"s{row.get('id')}", _Shelf(f"s{row.get('id')}"))
        shelf.position = _int(row.get("position")) or 0
        if row.get("parent_section_id"):
            shelf.parent = f"s{row['parent_section_id']}"
        elif row.get("category_id"):
            shelf.parent = f"c{row['category_id']}"
        _shelf_names(shelf, row)
    articles = _objects(data["articles"], where, _("article"), problems)
    translations = _objects(data["translations"], where, _("translation"), problems)
    if not articles and not translations and not problems:
        problems.append(_("%(path)s: there are no articles in it") % {"path": where})
    by_id = {str(row.get("id")): row for row in articles}
    # One entry per article and locale; a translation (Translations API)
    # takes its section, labels and readers from its article.
    rows: dict[tuple[str, str], tuple[dict[str, Any], dict[str, Any]]] = {}
    for row, identifier, article in [
        *((row, row.get("id"), row) for row in articles),
        *(
            (row, row.get("source_id"), by_id.get(str(row.get("source_id"))))
            for row in translations
        ),
    ]:
        name = _named(where, identifier or "?", row.get("locale"), row.get("title"))
        if identifier is None or str(identifier).strip() == "":
            problems.append(f"{name}: " + _("it has no id"))
        elif article is None:
            # Its section and readers are the article's: unknown without it.
            problems.append(f"{name}: " + _("its article is not in the export"))
        else:
            rows[str(identifier), str(row.get("locale"))] = (row, article)
    entries = []
    for (identifier, _locale), (row, article) in rows.items():
        name = _named(where, identifier, row.get("locale"), row.get("title"))
        segments = article.get("user_segment_ids") or article.get("user_segment_id")
        entries.append(
            _Entry(
                source=name,
                key=f"zendesk-{identifier}",
                locale=str(row.get("locale") or ""),
                title=str(row.get("title") or ""),
                html=str(row.get("body") or ""),
                visibility=Visibility.CUSTOMERS if segments else Visibility.PUBLIC,
                status=ArticleStatus.DRAFT if row.get("draft") else ArticleStatus.PUBLISHED,
                category=f"s{article['section_id']}" if article.get("section_id") else None,
                tags=_words(article.get("label_names")),
                updated=_date(row.get("updated_at") or article.get("updated_at")),
            )
        )
    return entries, shelves


def _zendesk_csv(path: Path, problems: list[str]) -> tuple[list[_Entry], dict[str, _Shelf]]:
    rows = _read_csv(path, ZENDESK_COLUMNS, ("id", "title", "body", "locale"), problems)
    shelves: dict[str, _Shelf] = {}
    entries = []
    for line, row in enumerate(rows, start=2):
        name = _named(f"{path.name}:{line}", row["id"] or "?", row["locale"], row["title"])
        if not row["id"]:
            problems.append(f"{name}: " + _("it has no id"))
            continue
        draft = _is_true(row["draft"])
        if draft is None:
            problems.append(
                f"{name}: " + _("Draft is “%(value)s”, not true or false") % {"value": row["draft"]}
            )
            continue
        shelf_key = _csv_shelf(
            shelves,
            row["locale"],
            [("c", row["category_id"], row["category"]), ("s", row["section_id"], row["section"])],
        )
        public = row["segment"].strip().lower() in PUBLIC_SEGMENTS
        entries.append(
            _Entry(
                source=name,
                key=f"zendesk-{row['id']}",
                locale=row["locale"],
                title=row["title"],
                html=row["body"],
                visibility=Visibility.PUBLIC if public else Visibility.CUSTOMERS,
                status=ArticleStatus.DRAFT if draft else ArticleStatus.PUBLISHED,
                category=shelf_key,
                tags=_words(row["labels"]),
                updated=_date(row["updated"]),
            )
        )
    return entries, shelves


# --- Freshdesk Solutions ---

FRESHDESK_KEYS = ("categories", "folders", "articles")
# A folder's `visibility`: 1 all users, 2 logged-in users, 3 agents,
# 4 selected companies, 5 bots, 6 contact segments, 7 company segments.
FRESHDESK_VISIBILITY = {
    1: Visibility.PUBLIC,
    2: Visibility.CUSTOMERS,
    3: Visibility.INTERNAL,
    4: Visibility.CUSTOMERS,
    5: Visibility.INTERNAL,
    6: Visibility.CUSTOMERS,
    7: Visibility.CUSTOMERS,
}
FRESHDESK_VISIBILITY_NAMES = {
    "all users": 1,
    "logged in users": 2,
    "logged-in users": 2,
    "agents": 3,
    "selected companies": 4,
    "bots": 5,
}
FRESHDESK_STATUS = {1: ArticleStatus.DRAFT, 2: ArticleStatus.PUBLISHED}
FRESHDESK_COLUMNS = {
    "id": ("Article ID", "ID"),
    "title": ("Title", "Article title"),
    "description": ("Description", "Article description", "Body", "HTML"),
    "text": ("Description text",),
    "status": ("Status",),
    "category_id": ("Category ID",),
    "category": ("Category", "Category name"),
    "folder_id": ("Folder ID",),
    "folder": ("Folder", "Folder name"),
    "visibility": ("Visibility", "Folder visibility"),
    "tags": ("Tags",),
    "language": ("Language", "Locale"),
    "meta_description": ("Meta Description", "SEO description"),
    "updated": ("Updated At", "Updated"),
}


def read_freshdesk(path: Path) -> tuple[Categories, list[Document]]:
    """A Freshdesk Solutions export: one JSON file with categories, folders
    and articles, a folder of those three files, or a CSV."""
    problems: list[str] = []
    if path.is_file() and path.suffix.lower() == ".csv":
        entries, shelves = _freshdesk_csv(path, problems)
    else:
        entries, shelves = _freshdesk_json(path, problems)
    categories, slugs = _categories(shelves)
    documents = _documents(entries, slugs, problems)
    _fail_on(problems)
    return categories, documents


def _freshdesk_visibility(value: Any) -> str:
    """Readers the export does not name: staff only, the safe side."""
    number = _int(value) or FRESHDESK_VISIBILITY_NAMES.get(str(value or "").strip().lower(), 0)
    return FRESHDESK_VISIBILITY.get(number, Visibility.INTERNAL)


def _freshdesk_status(value: Any) -> str | None:
    number = _int(value)
    if number is not None:
        return FRESHDESK_STATUS.get(number)
    text = str(value).strip().lower()
    return text if text in (ArticleStatus.DRAFT, ArticleStatus.PUBLISHED) else None


def _freshdesk_json(path: Path, problems: list[str]) -> tuple[list[_Entry], dict[str, _Shelf]]:
    data = _load_json(path, FRESHDESK_KEYS, problems)
    where = path.name
    shelves: dict[str, _Shelf] = {}
    for row in _objects(data["categories"], where, _("category"), problems):
        shelf = shelves.setdefault(f"c{row.get('id')}", _Shelf(f"c{row.get('id')}"))
        shelf.position = _int(row.get("position")) or 0
        _shelf_names(shelf, {**row, "locale": row.get("language") or row.get("locale")})
    visibility: dict[str, Any] = {}
    for row in _objects(data["folders"], where, _("folder"), problems):
        key = f"f{row.get('id')}"
        shelf = shelves.setdefault(key, _Shelf(key))
        shelf.position = _int(row.get("position")) or 0
        if row.get("parent_folder_id"):
            shelf.parent = f"f{row['parent_folder_id']}"
        elif row.get("category_id"):
            shelf.parent = f"c{row['category_id']}"
        _shelf_names(shelf, {**row, "locale": row.get("language") or row.get("locale")})
        visibility[key] = row.get("visibility")
    articles = _objects(data["articles"], where, _("article"), problems)
    if not articles and not problems:
        problems.append(_("%(path)s: there are no articles in it") % {"path": where})
    entries = []
    for row in articles:
        language = row.get("language") or row.get("locale") or "pl"
        name = _named(where, row.get("id"), language, row.get("title"))
        if row.get("id") is None:
            problems.append(f"{name}: " + _("it has no id"))
            continue
        status = _freshdesk_status(row.get("status", 2))
        if status is None:
            problems.append(
                f"{name}: "
                + _("unknown status “%(value)s” (1 is a draft, 2 published)")
                % {"value": row.get("status")}
            )
            continue
        folder = f"f{row.get('folder_id')}"
        category = folder if folder in shelves else f"c{row.get('category_id')}"
        description = row.get("description") or html.escape(str(row.get("description_text") or ""))
        seo = row.get("seo_data")
        seo = seo if isinstance(seo, dict) else {}
        entries.append(
            _Entry(
                source=name,
                key=f"freshdesk-{row['id']}",
                locale=str(language),
                title=str(row.get("title") or ""),
                html=str(description),
                visibility=_freshdesk_visibility(
                    visibility[folder] if folder in visibility else row.get("folder_visibility")
                ),
                status=status,
                category=category if category in shelves else None,
                tags=_words(row.get("tags")),
                summary=str(seo.get("meta_description") or "")[:300],
                updated=_date(row.get("updated_at")),
            )
        )
    return entries, shelves


def _freshdesk_csv(path: Path, problems: list[str]) -> tuple[list[_Entry], dict[str, _Shelf]]:
    rows = _read_csv(path, FRESHDESK_COLUMNS, ("id", "title"), problems)
    shelves: dict[str, _Shelf] = {}
    entries = []
    for line, row in enumerate(rows, start=2):
        language = row["language"] or "pl"
        name = _named(f"{path.name}:{line}", row["id"] or "?", language, row["title"])
        if not row["id"]:
            problems.append(f"{name}: " + _("it has no id"))
            continue
        status = _freshdesk_status(row["status"] or "2")
        if status is None:
            problems.append(
                f"{name}: "
                + _("unknown status “%(value)s” (1 is a draft, 2 published)")
                % {"value": row["status"]}
            )
            continue
        shelf_key = _csv_shelf(
            shelves,
            language,
            [("c", row["category_id"], row["category"]), ("f", row["folder_id"], row["folder"])],
        )
        entries.append(
            _Entry(
                source=name,
                key=f"freshdesk-{row['id']}",
                locale=language,
                title=row["title"],
                html=row["description"] or html.escape(row["text"]),
                visibility=_freshdesk_visibility(row["visibility"]),
                status=status,
                category=shelf_key,
                tags=_words(row["tags"]),
                summary=row["meta_description"][:300],
                updated=_date(row["updated"]),
            )
        )
    return entries, shelves


READERS: dict[str, Callable[[Path], tuple[Categories, list[Document]]]] = {
    "zendesk": read_zendesk,
    "freshdesk": read_freshdesk,
}


def import_external(path: Path, source_format: str, actor: Any) -> ImportReport:
    """Read an export ("zendesk" or "freshdesk") and import it, all or
    nothing; ValidationError({"files": [...]}) lists every problem."""
    categories, documents = READERS[source_format](path)
    return import_documents(documents, actor, categories)
