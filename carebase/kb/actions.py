"""Every change to the knowledge base: one `do_*` function per change, in a
transaction, with an event row; the search index follows on the same
transaction (an article is searched as readers see it: live text only)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from carebase.accounts.models import Team, User
from carebase.core import search
from carebase.core.errors import Conflict
from carebase.core.events import record_event
from carebase.core.roles import Role
from carebase.kb.models import (
    SEARCH_KIND,
    Acknowledgement,
    Article,
    ArticleImage,
    ArticleKind,
    ArticleStatus,
    ArticleVersion,
    Category,
    EventKind,
    Feedback,
    ReviewItem,
    ReviewKind,
    Tag,
    Visibility,
)
from carebase.kb.render import plain_text, render_markdown, slug_of
from carebase.tickets.attachments import clean_filename

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The first bytes of the image formats a browser shows safely (no SVG: it
# can carry scripts).
IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}


@dataclass
class ArticleData:
    title: str
    body: str = ""
    summary: str = ""
    language: str = "pl"
    kind: str = ArticleKind.GUIDE
    visibility: str = Visibility.INTERNAL
    slug: str = ""
    category: Category | None = None
    tags: list[str] = field(default_factory=list)
    reader_roles: list[str] = field(default_factory=list)
    owner: User | None = None
    must_read_roles: list[str] = field(default_factory=list)
    must_read_teams: list[Team] = field(default_factory=list)
    review_every_days: int | None = None
    translation_of: Article | None = None
    group: uuid.UUID | None = None  # the translation group, when known (imports)

    @classmethod
    def of(cls, article: Article, **changes: Any) -> ArticleData:
        """The article as it stands (its pending text, if any), with `changes`."""
        text = article.pending or {}
        values: dict[str, Any] = {
            "title": text.get("title", article.title),
            "body": text.get("body", article.body),
            "summary": text.get("summary", article.summary),
            "language": article.language,
            "kind": article.kind,
            "visibility": article.visibility,
            "slug": article.slug,
            "category": article.category,
            "tags": [tag.name for tag in article.tags.all()],
            "reader_roles": [group.name for group in article.readers.all()],
            "owner": article.owner,
            "must_read_roles": [group.name for group in article.must_read_roles.all()],
            "must_read_teams": list(article.must_read_teams.all()),
            "review_every_days": article.review_every_days,
        }
        return cls(**{**values, **changes})


def _check(data: ArticleData, article: Article | None = None) -> None:
    problems: dict[str, list[str]] = {}
    if not data.title.strip():
        problems["title"] = [_("An article needs a title.")]
    if data.slug and not SLUG.match(data.slug):
        problems["slug"] = [
            _(
                "Use lower-case letters without accents, digits and hyphens, "
                "such as “call-recording”."
            )
        ]
    if data.visibility == Visibility.ROLES and not data.reader_roles:
        problems["reader_roles"] = [_("Choose the roles that may read it.")]
    unknown = [role for role in [*data.reader_roles, *data.must_read_roles] if role not in Role]
    if unknown:
        problems["reader_roles"] = [_("Unknown role: %(role)s.") % {"role": unknown[0]}]
    if data.visibility == Visibility.ROLES and set(data.must_read_roles) - set(data.reader_roles):
        problems["must_read_roles"] = [_("Who must read it must also be allowed to read it.")]
    if data.kind != ArticleKind.REGULATION and (data.must_read_roles or data.must_read_teams):
        problems["must_read_roles"] = [_("Only regulations are acknowledged by their readers.")]
    if data.kind == ArticleKind.REGULATION and data.visibility in (
        Visibility.PUBLIC,
        Visibility.CUSTOMERS,
    ):
        problems["visibility"] = [_("A regulation is for staff: make it internal or restricted.")]
    translation = data.translation_of
    if translation is not None:
        if translation.language == data.language:
            problems["translation_of"] = [_("A translation is in the other language.")]
        elif (
            Article.objects.filter(group=translation.group, language=data.language)
            .exclude(pk__in=[article.pk] if article is not None else [])
            .exists()
        ):
            problems["translation_of"] = [_("That article already has a translation.")]
    if problems:
        raise ValidationError(problems)


def free_slug(language: str, wanted: str, exclude: int | None = None) -> str:
    """`wanted`, or the first of wanted-2, wanted-3... that no article of the
    language uses."""
    taken = set(
        Article.objects.filter(language=language, slug__startswith=wanted)
        .exclude(pk__in=[exclude] if exclude else [])
        .values_list("slug", flat=True)
    )
    candidate, number = wanted, 2
    while candidate in taken:
        candidate, number = f"{wanted[:110]}-{number}", number + 1
    return candidate


def _slug_for(data: ArticleData, article: Article | None) -> str:
    slug = data.slug or slug_of(data.title)[:120].strip("-") or "article"
    exclude = getattr(article, "pk", None)
    clash = Article.objects.filter(language=data.language, slug=slug).exclude(
        pk__in=[exclude] if exclude else []
    )
    if clash.exists():
        if not data.slug:
            return free_slug(data.language, slug, exclude)
        suggestion = free_slug(data.language, slug, exclude)
        raise Conflict(
            _("Another article already uses the address “%(slug)s”; “%(free)s” is free.")
            % {"slug": slug, "free": suggestion},
            field="slug",
            suggestion=suggestion,
        )
    return slug


def _set_relations(article: Article, data: ArticleData) -> None:
    names = sorted({name.strip().lower()[:50] for name in data.tags if name.strip()})
    tags = [Tag.objects.get_or_create(name=name)[0] for name in names]
    article.tags.set(tags)
    article.readers.set(Group.objects.filter(name__in=data.reader_roles))
    article.must_read_roles.set(Group.objects.filter(name__in=data.must_read_roles))
    article.must_read_teams.set(data.must_read_teams)


@transaction.atomic
def do_create_article(
    data: ArticleData,
    actor: Any,
    *,
    publish: bool = False,
    publish_at: datetime | None = None,
    note: str = "",
) -> Article:
    _check(data)
    article = Article(
        language=data.language,
        slug=_slug_for(data, None),
        kind=data.kind,
        title=data.title.strip(),
        summary=data.summary.strip(),
        body=data.body,
        body_html=render_markdown(data.body),
        category=data.category,
        visibility=data.visibility,
        owner=data.owner or (actor if getattr(actor, "is_authenticated", False) else None),
        review_every_days=data.review_every_days,
    )
    if data.translation_of is not None:
        article.group = data.translation_of.group
    elif data.group is not None:
        article.group = data.group
    try:
        with transaction.atomic():
            article.save(force_insert=True)
    except IntegrityError as error:  # two authors took the address at once
        raise Conflict(_("Another article already uses this address."), field="slug") from error
    _set_relations(article, data)
    record_event(EventKind.CREATED, article, actor, title=article.title)
    if publish:
        do_publish_article(article, actor, note=note or _("First version"), significant=True)
        article.refresh_from_db()
    elif publish_at is not None:
        do_schedule_article(article, publish_at, actor)
    return article


@transaction.atomic
def do_update_article(
    article: Article,
    data: ArticleData,
    actor: Any,
    *,
    publish: bool = False,
    note: str = "",
    significant: bool = False,
    publish_at: datetime | None = None,
) -> Article:
    """Change an article. A live article keeps what readers see until the
    change is published (now, or at `publish_at`); its settings (category,
    visibility, tags, owner...) apply at once."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    _check(data, article)
    slug = _slug_for(data, article) if data.slug or data.title != article.title else article.slug
    if not data.slug and article.is_live:
        slug = article.slug  # a published address stays: links to it live on
    text = {"title": data.title.strip(), "summary": data.summary.strip(), "body": data.body}
    article.slug = slug
    article.kind = data.kind
    article.category = data.category
    article.visibility = data.visibility
    article.owner = data.owner or article.owner
    article.review_every_days = data.review_every_days
    article.language = data.language
    if data.translation_of is not None:
        article.group = data.translation_of.group
    elif data.group is not None:
        article.group = data.group
    if article.is_live:
        unchanged = all(getattr(article, name) == value for name, value in text.items())
        article.pending = None if unchanged else {**text, "author": getattr(actor, "pk", None)}
        if unchanged:
            article.publish_at = None  # nothing is left to publish
    else:
        for name, value in text.items():
            setattr(article, name, value)
        article.body_html = render_markdown(article.body)
        article.pending = None  # a draft's text is its own; an old pending edit is gone
    article.updated_at = timezone.now()
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError as error:
        raise Conflict(_("Another article already uses this address."), field="slug") from error
    _set_relations(article, data)
    record_event(EventKind.EDITED, article, actor)
    if publish:
        do_publish_article(article, actor, note=note, significant=significant)
        article.refresh_from_db()
    elif publish_at is not None:
        do_schedule_article(article, publish_at, actor)
    else:
        _index(article)  # visibility or tags may have changed
    return article


@transaction.atomic
def do_publish_article(
    article: Article, actor: Any, *, note: str = "", significant: bool = False
) -> ArticleVersion | None:
    """Publish the draft, or the pending edit of a live article, as a new
    version. A significant version (and the first) asks every reader of a
    regulation to acknowledge it again. None when there was nothing new."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.pending:
        article.title = article.pending["title"]
        article.summary = article.pending["summary"]
        article.body = article.pending["body"]
        article.pending = None
    elif article.is_live:
        if article.publish_at is not None:
            article.publish_at = None
            article.save(update_fields=["publish_at"])
        return None
    now = timezone.now()
    number = article.version + 1
    significant = significant or number == 1
    version = ArticleVersion.objects.create(
        article=article,
        number=number,
        title=article.title,
        summary=article.summary,
        body=article.body,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        note=note.strip()[:300],
        significant=significant,
        created_at=now,
    )
    article.version = number
    if significant:
        article.acknowledge_from = number
    article.body_html = render_markdown(article.body)
    article.status = ArticleStatus.PUBLISHED
    article.publish_at = None
    article.published_at = article.published_at or now
    article.reviewed_at = now  # publishing is a review
    article.updated_at = now
    article.save()
    record_event(
        EventKind.PUBLISHED, article, actor, version=number, significant=significant, note=note
    )
    _index(article)
    _after_significant_change(article, version)
    return version


def _after_significant_change(article: Article, version: ArticleVersion) -> None:
    """Let other apps react to a significant new version (the academy flags
    the questions that cite it)."""
    from carebase.kb.signals import article_published

    transaction.on_commit(
        lambda: article_published.send(sender=Article, article=article, version=version)
    )


@transaction.atomic
def do_discard_changes(article: Article, actor: Any) -> Article:
    """Drop the unpublished edit of a live article (and its schedule)."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.pending:
        article.pending = None
        article.publish_at = None
        article.save(update_fields=["pending", "publish_at"])
        record_event(EventKind.EDITED, article, actor, discarded=True)
    return article


@transaction.atomic
def do_schedule_article(article: Article, at: datetime, actor: Any) -> Article:
    if at <= timezone.now():
        raise ValidationError({"publish_at": [_("Choose a moment in the future.")]})
    if article.is_live and not article.pending:
        raise ValidationError({"publish_at": [_("There is no change to publish.")]})
    article.publish_at = at
    article.save(update_fields=["publish_at"])
    record_event(EventKind.SCHEDULED, article, actor, at=at.isoformat())
    return article


@transaction.atomic
def do_unpublish_article(article: Article, actor: Any, *, archive: bool = False) -> Article:
    """Take an article off the help center and search: back to draft, or to the archive."""
    article.status = ArticleStatus.ARCHIVED if archive else ArticleStatus.DRAFT
    article.publish_at = None
    article.updated_at = timezone.now()
    article.save(update_fields=["status", "publish_at", "updated_at"])
    record_event(EventKind.ARCHIVED if archive else EventKind.UNPUBLISHED, article, actor)
    _index(article)
    return article


@transaction.atomic
def do_delete_article(article: Article, actor: Any) -> None:
    record_event(EventKind.DELETED, article, actor, title=article.title)
    search.remove_ranked_document(SEARCH_KIND, article.pk)
    article.delete()


@transaction.atomic
def do_revert_article(
    article: Article, number: int, actor: Any, *, significant: bool = False
) -> ArticleVersion:
    """Publish an earlier version's text again, as a new version."""
    old = article.versions.filter(number=number).first()
    if old is None:
        raise ValidationError({"version": [_("That version does not exist.")]})
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.pending:
        raise ValidationError({"version": [_("Publish or discard the unpublished changes first.")]})
    article.pending = {
        "title": old.title,
        "summary": old.summary,
        "body": old.body,
        "author": getattr(actor, "pk", None),
    }
    if not article.is_live:
        article.status = ArticleStatus.PUBLISHED  # the pending text becomes live below
    article.save(update_fields=["pending", "status"])
    record_event(EventKind.REVERTED, article, actor, to_version=number)
    version = do_publish_article(
        article,
        actor,
        note=_("Reverted to version %(number)s") % {"number": number},
        significant=significant,
    )
    assert version is not None
    return version


@transaction.atomic
def do_mark_reviewed(article: Article, actor: Any) -> Article:
    """The owner read the article and found it still right."""
    article.reviewed_at = timezone.now()
    article.save(update_fields=["reviewed_at"])
    ReviewItem.objects.filter(article=article, kind=ReviewKind.DUE, resolved_at=None).update(
        resolved_at=article.reviewed_at, resolved_by=actor
    )
    record_event(EventKind.REVIEWED, article, actor)
    return article


@transaction.atomic
def do_acknowledge(article: Article, user: Any, version: int | None = None) -> Acknowledgement:
    """The person confirms having read the live version of a regulation
    (`version`: the one they were shown; refused if another went live since)."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not article.is_regulation or not article.is_live:
        raise ValidationError(_("Only a published regulation is acknowledged."))
    if version is not None and version != article.version:
        raise ValidationError(
            _("Version %(number)s is live now: read it, then confirm.")
            % {"number": article.version}
        )
    acknowledgement, created = Acknowledgement.objects.get_or_create(
        article=article, user=user, version=article.version
    )
    if created:
        record_event(EventKind.ACKNOWLEDGED, article, user, version=article.version)
    return acknowledgement


@transaction.atomic
def do_flag_outdated(article: Article, actor: Any, note: str, ticket: Any = None) -> ReviewItem:
    item = ReviewItem.objects.create(
        article=article, kind=ReviewKind.OUTDATED, note=note.strip()[:5000], ticket=ticket,
        created_by=actor,
    )  # fmt: skip
    record_event(
        EventKind.FLAGGED, article, actor, note=item.note, ticket=getattr(ticket, "pk", None)
    )
    return item


@transaction.atomic
def do_leave_feedback(article: Article, helpful: bool, comment: str, user: Any) -> Feedback:
    """A reader's answer to "was this helpful?"; a comment reaches the
    owner as a review item."""
    comment = comment.strip()[:2000]
    signed_in = user if getattr(user, "is_authenticated", False) else None
    feedback = Feedback.objects.create(
        article=article, version=article.version, helpful=helpful, comment=comment, user=signed_in
    )
    if comment:
        ReviewItem.objects.create(
            article=article, kind=ReviewKind.FEEDBACK, note=comment, created_by=signed_in
        )
    return feedback


@transaction.atomic
def do_resolve_review_item(item: ReviewItem, actor: Any) -> ReviewItem:
    if item.resolved_at is None:
        item.resolved_at = timezone.now()
        item.resolved_by = actor
        item.save(update_fields=["resolved_at", "resolved_by"])
    return item


def image_type(upload: UploadedFile) -> str | None:
    """The image type the file's first bytes show, or None when it is not
    an image a browser may show safely (whatever its name says)."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in IMAGE_SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


@transaction.atomic
def do_add_image(article: Article, upload: UploadedFile, actor: Any) -> ArticleImage:
    limit = settings.KB_IMAGE_MAX_BYTES
    if (upload.size or 0) > limit:
        raise ValidationError(
            {"file": [_("The image is larger than %(limit)s.") % {"limit": filesizeformat(limit)}]}
        )
    content_type = image_type(upload)
    if content_type is None:
        raise ValidationError({"file": [_("This is not a PNG, JPEG, GIF or WebP image.")]})
    filename = clean_filename(upload.name or "image")
    image = ArticleImage(
        article=article,
        filename=filename,
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    image.file.save(filename, upload, save=False)
    image.save()
    record_event(EventKind.IMAGE_ADDED, article, actor, image=image.pk, filename=filename)
    return image


def _index(article: Article) -> None:
    """Search finds an article as readers see it: live, with its tags."""
    if not article.is_live:
        search.remove_ranked_document(SEARCH_KIND, article.pk)
        return
    tags = " ".join(article.tags.values_list("name", flat=True))
    search.set_ranked_document(
        SEARCH_KIND,
        article.pk,
        article.title,
        f"{article.summary} {tags}",
        plain_text(article.body_html),
    )


def reindex_all(batch: int = 500) -> int:
    """Rebuild every article's search document (after an import, or a change
    of the normalisation)."""
    count = 0
    live = Article.objects.filter(status=ArticleStatus.PUBLISHED).prefetch_related("tags")
    rows = []
    for article in live.iterator(chunk_size=batch):
        tags = " ".join(tag.name for tag in article.tags.all())
        rows.append(
            (article.pk, article.title, f"{article.summary} {tags}", plain_text(article.body_html))
        )
        if len(rows) >= batch:
            search.set_ranked_documents(SEARCH_KIND, rows)
            count, rows = count + len(rows), []
    search.set_ranked_documents(SEARCH_KIND, rows)
    search.optimize_ranked_index()
    return count + len(rows)


def publish_due_articles(now: datetime | None = None) -> int:
    """Publish what was scheduled for now or earlier (a periodic job)."""
    now = now or timezone.now()
    done = 0
    for article in Article.objects.filter(publish_at__lte=now).exclude(
        status=ArticleStatus.ARCHIVED
    ):
        author = None
        if article.pending and article.pending.get("author"):
            author = User.objects.filter(pk=article.pending["author"]).first()
        do_publish_article(article, author, note=_("Scheduled publication"))
        done += 1
    return done


def raise_due_reviews(now: datetime | None = None) -> int:
    """Remind owners of live articles not reviewed for their period: one
    open review item per article (a periodic job)."""
    now = now or timezone.now()
    raised = 0
    open_due = ReviewItem.objects.filter(kind=ReviewKind.DUE, resolved_at=None).values("article_id")
    candidates = (
        Article.objects.filter(status=ArticleStatus.PUBLISHED)
        .exclude(pk__in=open_due)
        .only("pk", "reviewed_at", "published_at", "review_every_days")
    )
    for article in candidates.iterator():
        due = article.review_due_at()
        if due is not None and due <= now:
            ReviewItem.objects.create(
                article=article,
                kind=ReviewKind.DUE,
                note=_("Not reviewed since %(date)s.")
                % {
                    "date": (
                        due - timedelta(days=article.review_every_days or settings.KB_REVIEW_DAYS)
                    )
                    .date()
                    .isoformat()
                },
            )
            raised += 1
    return raised


# --- Who must read a regulation ---


def required_readers(article: Article) -> QuerySet[User]:
    """The active people a regulation asks to acknowledge it."""
    roles = article.must_read_roles.all()
    teams = article.must_read_teams.all()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__in=roles) | Q(teams__in=teams))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def regulations_for(user: Any) -> QuerySet[Article]:
    """The live regulations that ask this person to acknowledge them."""
    from carebase.kb.access import visible_condition

    return (
        Article.objects.filter(kind=ArticleKind.REGULATION, status=ArticleStatus.PUBLISHED)
        .filter(visible_condition(user))
        .filter(Q(must_read_roles__user=user) | Q(must_read_teams__members=user))
        .distinct()
    )


def pending_acknowledgements(user: Any) -> list[Article]:
    """The regulations this person has not acknowledged in their current
    version (or since their last significant change)."""
    if not getattr(user, "is_authenticated", False):
        return []
    regulations = list(regulations_for(user).order_by("title"))
    read = dict(
        Acknowledgement.objects.filter(user=user, article__in=regulations)
        .values_list("article_id")
        .annotate(latest=Max("version"))
    )
    return [
        article for article in regulations if read.get(article.pk, 0) < article.acknowledge_from
    ]
