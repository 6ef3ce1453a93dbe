"""The knowledge base: articles (guides, FAQ entries, internal regulations,
release notes) in categories, their published versions, translations,
images, readers' feedback, review items for their owners, and the
acknowledgements of regulations.

An article's own fields are what readers see: the live text once
published, the draft before that. An edit of a published article waits in
`pending` until it is published, so that readers never see half a change.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebase.accounts.models import Team
from carebase.core.events import event_kinds
from carebase.crm.models import Language

SEARCH_KIND = "kb.article"


class ArticleKind(models.TextChoices):
    GUIDE = "guide", _("Guide")
    FAQ = "faq", _("FAQ entry")
    REGULATION = "regulation", _("Regulation")
    RELEASE_NOTE = "release_note", _("Release note")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public (help center)")
    CUSTOMERS = "customers", _("Signed-in customers")
    INTERNAL = "internal", _("Internal (staff)")
    ROLES = "roles", _("Restricted to roles")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Category(models.Model):
    """A shelf of the help center; categories nest. Names in both languages."""

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    name_pl = models.CharField(_("name in Polish"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    description_pl = models.CharField(_("description in Polish"), max_length=300, blank=True)
    description_en = models.CharField(_("description in English"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name_en

    def name_in(self, language: str) -> str:
        return self.name_pl if language == Language.POLISH else self.name_en

    def description_in(self, language: str) -> str:
        return self.description_pl if language == Language.POLISH else self.description_en


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    group = models.UUIDField(default=uuid.uuid4, db_index=True)  # shared by translations
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.POLISH
    )
    slug = models.SlugField(_("address"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=16, choices=ArticleKind.choices, default=ArticleKind.GUIDE
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)  # Markdown
    body_html = models.TextField(blank=True)  # rendered and sanitised
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="articles")
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    # Who may read it when visibility is "roles" (roles are groups).
    readers = models.ManyToManyField(
        Group, verbose_name=_("readable by"), blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kb_articles",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    # When set, the draft (or the pending edit) is published at that moment.
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)  # the live one; 0: never
    # An unpublished edit of a published article: {"title", "summary", "body", "author"}.
    pending = models.JSONField(null=True, blank=True)
    # Regulations: who must read and acknowledge it, from which version on.
    must_read_roles = models.ManyToManyField(
        Group, verbose_name=_("must be acknowledged by roles"), blank=True, related_name="+"
    )
    must_read_teams = models.ManyToManyField(
        Team, verbose_name=_("must be acknowledged by teams"), blank=True, related_name="+"
    )
    acknowledge_from = models.PositiveIntegerField(default=0)  # the last significant version
    reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    review_every_days = models.PositiveSmallIntegerField(
        _("review every (days)"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="kb_slug_per_language"),
            models.UniqueConstraint(fields=["group", "language"], name="kb_one_translation"),
        ]
        indexes = [models.Index(fields=["status", "visibility", "language"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("kb:article", args=[self.pk])

    def help_url(self) -> str:
        return reverse("help:article", args=[self.language, self.slug])

    @property
    def is_live(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED

    @property
    def is_regulation(self) -> bool:
        return self.kind == ArticleKind.REGULATION

    def review_due_at(self) -> Any:
        days = self.review_every_days or settings.KB_REVIEW_DAYS
        start = self.reviewed_at or self.published_at
        return None if start is None else start + timedelta(days=days)


class ArticleVersion(models.Model):
    """One published state of an article: what readers saw from `created_at`."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("change note"), max_length=300, blank=True)
    significant = models.BooleanField(_("significant change"), default=False)
    created_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="kb_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


def image_path(image: ArticleImage, filename: str) -> str:
    return f"kb/{image.article_id}/{uuid.uuid4().hex}/{filename}"


class ArticleImage(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=image_path, max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("help:image", args=[self.pk, self.filename])


class Acknowledgement(models.Model):
    """A person confirmed having read a version of a regulation."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="acknowledgements")
    version = models.PositiveIntegerField(_("version"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kb_acknowledgements"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user", "version"], name="kb_acknowledged_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.article_id} v{self.version}"


class Feedback(models.Model):
    """A reader's "was this helpful?" answer, with an optional comment."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    version = models.PositiveIntegerField(default=0)
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("comment"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    def __str__(self) -> str:
        return f"{self.article_id} {'+' if self.helpful else '-'}"


class ReviewKind(models.TextChoices):
    OUTDATED = "outdated", _("Flagged as outdated")
    FEEDBACK = "feedback", _("Reader's comment")
    DUE = "due", _("Review due")


class ReviewItem(models.Model):
    """Something the owner of an article should look at."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="review_items")
    kind = models.CharField(_("kind"), max_length=16, choices=ReviewKind.choices)
    note = models.TextField(_("note"), blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("conversation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("raised"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["resolved_at", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.article_id}"


@event_kinds
class EventKind(models.TextChoices):
    CREATED = "kb.article_created", _("Article created")
    EDITED = "kb.article_edited", _("Article edited")
    PUBLISHED = "kb.article_published", _("Article published")
    SCHEDULED = "kb.article_scheduled", _("Article scheduled")
    UNPUBLISHED = "kb.article_unpublished", _("Article unpublished")
    ARCHIVED = "kb.article_archived", _("Article archived")
    REVERTED = "kb.article_reverted", _("Article reverted")
    REVIEWED = "kb.article_reviewed", _("Article reviewed")
    ACKNOWLEDGED = "kb.article_acknowledged", _("Regulation acknowledged")
    FLAGGED = "kb.article_flagged", _("Article flagged as outdated")
    IMAGE_ADDED = "kb.image_added", _("Image added to an article")
    DELETED = "kb.article_deleted", _("Article deleted")
