"""Articles in and out as Markdown files with YAML front matter.

A folder holds `<language>/<slug>.md` files (or `.md` files anywhere below
it) and optionally `_categories.yaml`. See docs/knowledge.md for the
front matter's keys. An import is all or nothing: every file is checked
first, and one bad file imports nothing, with the reason for each file.
Importing the same folder again changes only what changed (a new version
for a changed text), so it can run on every deploy.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebase.accounts.models import Team, User
from carebase.core.errors import Conflict
from carebase.kb.actions import (
    ArticleData,
    do_create_article,
    do_publish_article,
    do_update_article,
)
from carebase.kb.models import Article, ArticleKind, ArticleStatus, Category, Visibility

# Translations share a group derived from their common key, so that a
# re-import finds the same group.
TRANSLATION_NAMESPACE = uuid.UUID("6f1d7c5e-5b7a-4f38-9a7e-2f3c1c8a9b10")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    categories: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class Document:
    """One article as read from a file or an export, before it is saved."""

    source: str
    meta: dict[str, Any]
    body: str


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---"):
        return {}, text
    _start, _separator, rest = text.partition("\n")
    head, separator, body = rest.partition("\n---")
    if not separator:
        raise ValueError(_("The front matter has no closing “---” line."))
    meta = yaml.safe_load(head) or {}
    if not isinstance(meta, dict):
        raise ValueError(_("The front matter is not a list of keys and values."))
    return meta, body.split("\n", 1)[1] if "\n" in body else ""


def read_folder(folder: Path) -> tuple[list[dict[str, Any]], list[Document], list[str]]:
    """Categories, documents and the files that could not be read."""
    problems: list[str] = []
    categories: list[dict[str, Any]] = []
    categories_file = folder / "_categories.yaml"
    if categories_file.exists():
        try:
            loaded = yaml.safe_load(categories_file.read_text(encoding="utf-8")) or []
            if not isinstance(loaded, list):
                raise ValueError(_("expected a list of categories"))
            categories = loaded
        except (ValueError, yaml.YAMLError) as error:
            problems.append(f"_categories.yaml: {error}")
    documents = []
    for path in sorted(folder.rglob("*.md")):
        relative = str(path.relative_to(folder))
        try:
            meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError, yaml.YAMLError) as error:
            problems.append(f"{relative}: {error}")
            continue
        meta.setdefault("slug", path.stem)
        if path.parent != folder and path.parent.name in ("pl", "en"):
            meta.setdefault("language", path.parent.name)
        documents.append(Document(relative, meta, body))
    return categories, documents, problems


def _words(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(part).strip() for part in value if str(part).strip()]


def _data(document: Document, categories: dict[str, Category]) -> tuple[ArticleData, str]:
    """The article a document describes, and its status; ValueError naming
    the first problem."""
    meta = document.meta
    title = str(meta.get("title") or "").strip()
    if not title:
        raise ValueError(_("it has no title"))
    language = str(meta.get("language") or "pl")
    if language not in ("pl", "en"):
        raise ValueError(_("unknown language “%(value)s”") % {"value": language})
    kind = str(meta.get("kind") or ArticleKind.GUIDE)
    if kind not in ArticleKind.values:
        raise ValueError(_("unknown kind “%(value)s”") % {"value": kind})
    visibility = str(meta.get("visibility") or Visibility.PUBLIC)
    if visibility not in Visibility.values:
        raise ValueError(_("unknown visibility “%(value)s”") % {"value": visibility})
    category = None
    if meta.get("category"):
        category = categories.get(str(meta["category"]))
        if category is None:
            raise ValueError(_("unknown category “%(value)s”") % {"value": meta["category"]})
    owner = None
    if meta.get("owner"):
        owner = User.objects.filter(username=str(meta["owner"])).first()
    teams = list(Team.objects.filter(slug__in=_words(meta.get("teams"))))
    translation = meta.get("translation")
    status = str(meta.get("status") or ArticleStatus.PUBLISHED)
    if status not in ArticleStatus.values:
        raise ValueError(_("unknown status “%(value)s”") % {"value": status})
    data = ArticleData(
        title=title[:200],
        body=document.body.strip() + "\n",
        summary=str(meta.get("summary") or "")[:300],
        language=language,
        kind=kind,
        visibility=visibility,
        slug=str(meta.get("slug") or ""),
        category=category,
        tags=_words(meta.get("tags")),
        reader_roles=_words(meta.get("roles")),
        owner=owner,
        must_read_roles=_words(meta.get("must_read")),
        must_read_teams=teams,
        review_every_days=meta.get("review_every_days"),
        group=_group(translation) if translation else None,
    )
    return data, status


def _group(translation: Any) -> uuid.UUID:
    """The translation group: an exported group is a UUID already; any other
    key (a Zendesk source id, a word) is turned into one, the same each time."""
    try:
        return uuid.UUID(str(translation))
    except ValueError:
        return uuid.uuid5(TRANSLATION_NAMESPACE, str(translation))


def _save_categories(rows: list[dict[str, Any]]) -> int:
    saved = 0
    pending = list(rows)
    # Parents first, whatever the file's order.
    for _round in range(5):
        later = []
        for row in pending:
            slug = str(row.get("slug") or "")
            parent_slug = row.get("parent")
            parent = Category.objects.filter(slug=parent_slug).first() if parent_slug else None
            if parent_slug and parent is None:
                later.append(row)
                continue
            Category.objects.update_or_create(
                slug=slug,
                defaults={
                    "parent": parent,
                    "position": int(row.get("position") or 0),
                    "name_pl": str(row.get("name_pl") or row.get("name_en") or slug)[:120],
                    "name_en": str(row.get("name_en") or row.get("name_pl") or slug)[:120],
                    "description_pl": str(row.get("description_pl") or "")[:300],
                    "description_en": str(row.get("description_en") or "")[:300],
                },
            )
            saved += 1
        pending = later
    if pending:
        raise ValidationError(
            {"categories": [_("A category's parent does not exist: %s") % pending[0].get("slug")]}
        )
    return saved


def import_documents(
    documents: Iterable[Document], actor: Any, categories: list[dict[str, Any]] | None = None
) -> ImportReport:
    """Create or update the articles; all or nothing (ValidationError lists
    every document's problem)."""
    report = ImportReport()
    documents = list(documents)
    with transaction.atomic():
        report.categories = _save_categories(categories or [])
        by_slug = {category.slug: category for category in Category.objects.all()}
        prepared = []
        for document in documents:
            try:
                prepared.append((document, *_data(document, by_slug)))
            except ValueError as error:
                report.problems.append(f"{document.source}: {error}")
        if report.problems:
            raise ValidationError({"files": report.problems})
        for document, data, status in prepared:
            try:
                _import_one(document, data, status, actor, report)
            except (ValidationError, Conflict) as error:
                messages = (
                    [error.message]
                    if isinstance(error, Conflict)
                    else [
                        message for messages in error.message_dict.values() for message in messages
                    ]
                    if hasattr(error, "error_dict")
                    else error.messages
                )
                report.problems.append(f"{document.source}: {' '.join(map(str, messages))}")
        if report.problems:
            raise ValidationError({"files": report.problems})
        from carebase.kb.actions import reindex_all

        reindex_all()
    return report


def _import_one(
    document: Document, data: ArticleData, status: str, actor: Any, report: ImportReport
) -> None:
    existing = Article.objects.filter(language=data.language, slug=data.slug).first()
    publish = status == ArticleStatus.PUBLISHED
    if existing is None:
        article = do_create_article(data, actor, publish=publish, note=_("Imported"))
        report.created += 1
    else:
        same_text = (existing.pending or {}).get("body", existing.body) == data.body and (
            existing.pending or {}
        ).get("title", existing.title) == data.title
        article = do_update_article(existing, data, actor)
        if publish and (not same_text or not existing.is_live):
            do_publish_article(article, actor, note=_("Imported"))
            report.updated += 1
        else:
            report.unchanged += 1
    reviewed = document.meta.get("reviewed")
    if isinstance(reviewed, dt.date):
        moment = timezone.make_aware(dt.datetime.combine(reviewed, dt.time(12)))
        Article.objects.filter(pk=article.pk, status=ArticleStatus.PUBLISHED).update(
            reviewed_at=moment
        )


def import_folder(folder: Path, actor: Any) -> ImportReport:
    categories, documents, problems = read_folder(folder)
    if problems:
        raise ValidationError({"files": problems})
    return import_documents(documents, actor, categories)


# --- Export ---


def article_markdown(article: Article) -> str:
    meta: dict[str, Any] = {
        "slug": article.slug,
        "translation": str(article.group),
        "title": article.title,
        "summary": article.summary,
        "language": article.language,
        "kind": article.kind,
        "visibility": article.visibility,
        "status": article.status,
    }
    if article.category is not None:
        meta["category"] = article.category.slug
    tags = [tag.name for tag in article.tags.all()]
    if tags:
        meta["tags"] = tags
    roles = [group.name for group in article.readers.all()]
    if roles:
        meta["roles"] = roles
    if article.owner is not None:
        meta["owner"] = article.owner.username
    must_read = [group.name for group in article.must_read_roles.all()]
    if must_read:
        meta["must_read"] = must_read
    teams = [team.slug for team in article.must_read_teams.all()]
    if teams:
        meta["teams"] = teams
    if article.reviewed_at:
        meta["reviewed"] = article.reviewed_at.date()
    if article.review_every_days:
        meta["review_every_days"] = article.review_every_days
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{head}---\n{article.body.rstrip()}\n"


def export_zip(articles: Iterable[Article]) -> bytes:
    """Every article as `<language>/<slug>.md`, and `_categories.yaml`: a
    folder that `import_folder` reads back."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        categories = [
            {
                "slug": category.slug,
                "parent": category.parent.slug if category.parent is not None else None,
                "position": category.position,
                "name_pl": category.name_pl,
                "name_en": category.name_en,
                "description_pl": category.description_pl,
                "description_en": category.description_en,
            }
            for category in Category.objects.select_related("parent")
        ]
        archive.writestr(
            "_categories.yaml", yaml.safe_dump(categories, allow_unicode=True, sort_keys=False)
        )
        for article in articles:
            archive.writestr(f"{article.language}/{article.slug}.md", article_markdown(article))
    return buffer.getvalue()
