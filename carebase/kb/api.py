"""The knowledge base over the REST API: articles, their versions, categories
and search. Scoped as on the pages (kb/access.py): a reader gets 404 for an
article they may not read, and search never shows one; writing takes the
right to edit the knowledge base."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from carebase.accounts.http import AuthenticatedRequest
from carebase.accounts.models import Team, User
from carebase.api.pagination import ERRORS, Id, Moment, PageParams, paginate
from carebase.core import search
from carebase.core.access import is_staff_member
from carebase.crm.models import Language
from carebase.kb import diff
from carebase.kb.access import (
    access_article,
    access_article_for_edit,
    access_staff_article,
    may_edit,
    readable_articles,
    staff_articles,
)
from carebase.kb.actions import (
    ArticleData,
    do_add_image,
    do_create_article,
    do_delete_article,
    do_leave_feedback,
    do_publish_article,
    do_revert_article,
    do_unpublish_article,
    do_update_article,
)
from carebase.kb.models import (
    SEARCH_KIND,
    Article,
    ArticleKind,
    ArticleStatus,
    Category,
    Visibility,
)
from carebase.kb.render import plain_text
from carebase.kb.transfer import export_zip

router = Router(tags=["knowledge base"])


class ArticleIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field("", max_length=200_000, description="Markdown; raw HTML is sanitised.")
    language: Language = Language.POLISH
    visibility: Visibility = Field(
        Visibility.INTERNAL,
        description="`public`: the help center; `customers`: signed-in customers; "
        "`internal`: staff; `roles`: the roles in `reader_roles`.",
    )
    status: Literal["draft", "published"] = "draft"
    summary: str = Field("", max_length=300)
    slug: str = Field("", max_length=120, description="The address; made from the title if empty.")
    kind: ArticleKind = ArticleKind.GUIDE
    category: Id | None = None
    tags: list[str] = Field(default_factory=list, max_length=30)
    reader_roles: list[str] = Field(default_factory=list, max_length=10)
    owner: Id | None = None
    must_read_roles: list[str] = Field(
        default_factory=list, max_length=10, description="Regulations: roles that must read it."
    )
    must_read_teams: list[Id] = Field(default_factory=list, max_length=20)
    translation_of: Id | None = Field(None, description="The article this one translates.")
    review_every_days: int | None = Field(None, ge=1, le=3650)
    publish_at: Moment | None = Field(None, description="Publish the draft at this moment.")
    note: str = Field("", max_length=300, description="The change note of the version.")


class ArticlePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    body: str | None = Field(None, max_length=200_000)
    language: Language | None = None
    visibility: Visibility | None = None
    summary: str | None = Field(None, max_length=300)
    slug: str | None = Field(None, max_length=120)
    kind: ArticleKind | None = None
    category: Id | None = None
    tags: list[str] | None = Field(None, max_length=30)
    reader_roles: list[str] | None = Field(None, max_length=10)
    owner: Id | None = None
    must_read_roles: list[str] | None = Field(None, max_length=10)
    must_read_teams: list[Id] | None = Field(None, max_length=20)
    review_every_days: int | None = Field(None, ge=1, le=3650)
    publish: bool = Field(
        False,
        description="Publish the change as a new version; otherwise a published "
        "article keeps its live text and the change waits (`pending`).",
    )
    publish_at: Moment | None = None
    note: str = Field("", max_length=300)
    significant: bool = Field(
        False, description="Regulations: everyone must acknowledge the new version again."
    )


class TranslationOut(Schema):
    id: int
    language: str


class PendingOut(Schema):
    title: str
    summary: str
    body: str


class ArticleOut(Schema):
    id: int
    title: str
    slug: str
    summary: str
    body: str
    body_html: str
    language: str
    kind: ArticleKind
    visibility: Visibility
    status: ArticleStatus
    category: int | None = Field(validation_alias="category_id")
    tags: list[str]
    reader_roles: list[str]
    owner: int | None = Field(validation_alias="owner_id")
    version: int = Field(description="The live version's number; 0 before publication.")
    acknowledge_from: int = Field(description="Regulations: the version everyone must have read.")
    must_read_roles: list[str]
    must_read_teams: list[int]
    publish_at: datetime | None
    published_at: datetime | None
    updated_at: datetime
    reviewed_at: datetime | None
    review_due_at: datetime | None
    url: str = Field(description="Where people read it: the help center, or the staff page.")
    translations: list[TranslationOut]
    pending: PendingOut | None = Field(
        None, description="Editors: an unpublished change of a published article."
    )

    @staticmethod
    def resolve_tags(article: Article) -> list[str]:
        return [tag.name for tag in article.tags.all()]

    # Who may and must read it is the desk's business: shown to staff only.
    @staticmethod
    def resolve_reader_roles(article: Article, context: Any) -> list[str]:
        if not is_staff_member(context["request"].user):
            return []
        return [group.name for group in article.readers.all()]

    @staticmethod
    def resolve_must_read_roles(article: Article, context: Any) -> list[str]:
        if not is_staff_member(context["request"].user):
            return []
        return [group.name for group in article.must_read_roles.all()]

    @staticmethod
    def resolve_must_read_teams(article: Article, context: Any) -> list[int]:
        if not is_staff_member(context["request"].user):
            return []
        return [team.pk for team in article.must_read_teams.all()]

    @staticmethod
    def resolve_review_due_at(article: Article) -> datetime | None:
        return article.review_due_at()

    @staticmethod
    def resolve_url(article: Article) -> str:
        return article_url(article)

    @staticmethod
    def resolve_translations(article: Article) -> list[dict[str, Any]]:
        return getattr(article, "translations", [])

    @staticmethod
    def resolve_pending(article: Article, context: Any) -> dict[str, Any] | None:
        request = context["request"]
        if not article.pending or not may_edit(request.user):
            return None
        return article.pending


class ArticleList(Schema):
    items: list[ArticleOut]
    next: str | None


class ArticleFilters(Schema):
    language: Language | None = None
    kind: ArticleKind | None = None
    status: ArticleStatus | None = Field(None, description="Editors only see drafts and archive.")
    visibility: Visibility | None = None
    category: Id | None = None


class VersionOut(Schema):
    number: int
    title: str
    summary: str
    body: str
    author: int | None = Field(validation_alias="author_id")
    note: str
    significant: bool
    created_at: datetime


class VersionList(Schema):
    items: list[VersionOut]


class DiffOut(Schema):
    from_version: int
    to_version: int
    unified: str


class PublishIn(Schema):
    note: str = Field("", max_length=300)
    significant: bool = False


class RevertIn(Schema):
    version: Id
    significant: bool = False


class FeedbackIn(Schema):
    helpful: bool
    comment: str = Field("", max_length=2000)


class ImageOut(Schema):
    id: int
    url: str
    markdown: str = Field(description="Paste into the body to show the image.")


class CategoryIn(Schema):
    slug: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)
    name_pl: str = Field(min_length=1, max_length=120)
    name_en: str = Field(min_length=1, max_length=120)
    description_pl: str = Field("", max_length=300)
    description_en: str = Field("", max_length=300)
    parent: Id | None = None
    position: int = Field(0, ge=0, le=100_000)


class CategoryOut(Schema):
    id: int
    slug: str
    name_pl: str
    name_en: str
    description_pl: str
    description_en: str
    parent: int | None = Field(validation_alias="parent_id")
    position: int


class CategoryList(Schema):
    items: list[CategoryOut]


class SearchHit(Schema):
    id: int
    title: str
    url: str
    snippet: str = Field(description="HTML: the text around the words found, escaped, in <mark>.")
    language: str
    kind: str
    score: float


class SearchResults(Schema):
    items: list[SearchHit]


def article_url(article: Article) -> str:
    """Where a person reads it: the help center for what it shows, the staff page otherwise."""
    if article.is_live and article.visibility in (Visibility.PUBLIC, Visibility.CUSTOMERS):
        return settings.SITE_URL + article.help_url()
    return settings.SITE_URL + article.get_absolute_url()


def _with_relations(queryset: Any) -> Any:
    return queryset.select_related("category").prefetch_related(
        "tags", "readers", "must_read_roles", "must_read_teams"
    )


def _attach_translations(articles: list[Article], user: Any) -> None:
    groups = {article.group for article in articles}
    visible = _visible_for(user).filter(group__in=groups).values_list("group", "pk", "language")
    by_group: dict[Any, list[dict[str, Any]]] = {}
    for group, pk, language in visible:
        by_group.setdefault(group, []).append({"id": pk, "language": language})
    for article in articles:
        article.translations = [  # type: ignore[attr-defined]
            item for item in by_group.get(article.group, []) if item["id"] != article.pk
        ]


def _visible_for(user: Any) -> Any:
    return staff_articles(user) if is_staff_member(user) else readable_articles(user)


def _access(user: Any, article_id: int) -> Article:
    if is_staff_member(user):
        return access_staff_article(user, article_id)
    return access_article(user, article_id)


def _detail(user: Any, article_id: int) -> Article:
    article = _with_relations(Article.objects.filter(pk=article_id)).get()
    _attach_translations([article], user)
    return article


def _data(body: Any, base: Article | None = None) -> ArticleData:
    """The ArticleData of a request: the given fields over the article's own."""
    values = body.model_dump(exclude_unset=True)

    def given(name: str, default: Any) -> Any:
        value = values.get(name)
        return default if value is None else value

    def current(name: str, fallback: Any) -> Any:
        return fallback if base is None else getattr(base, name)

    text = base.pending if base is not None and base.pending else None
    category_id = values.get("category", current("category_id", None))
    category = None
    if category_id is not None:
        category = Category.objects.filter(pk=category_id).first()
        if category is None:
            raise ValidationError({"category": ["There is no such category."]})
    owner_id = values.get("owner", current("owner_id", None))
    owner = User.objects.filter(pk=owner_id).first() if owner_id else None
    if owner_id and owner is None:
        raise ValidationError({"owner": ["There is no such user."]})
    team_ids = values.get("must_read_teams")
    teams = (
        list(Team.objects.filter(pk__in=team_ids))
        if team_ids is not None
        else list(base.must_read_teams.all())
        if base
        else []
    )
    translation = None
    if values.get("translation_of"):
        translation = Article.objects.filter(pk=values["translation_of"]).first()
        if translation is None:
            raise ValidationError({"translation_of": ["There is no such article."]})
    return ArticleData(
        title=given("title", (text or {}).get("title", current("title", ""))),
        body=given("body", (text or {}).get("body", current("body", ""))),
        summary=given("summary", (text or {}).get("summary", current("summary", ""))),
        language=given("language", current("language", Language.POLISH)),
        kind=given("kind", current("kind", ArticleKind.GUIDE)),
        visibility=given("visibility", current("visibility", Visibility.INTERNAL)),
        slug=given("slug", current("slug", "")),
        category=category,
        tags=given("tags", [tag.name for tag in base.tags.all()] if base else []),
        reader_roles=given("reader_roles", [g.name for g in base.readers.all()] if base else []),
        owner=owner,
        must_read_roles=given(
            "must_read_roles", [g.name for g in base.must_read_roles.all()] if base else []
        ),
        must_read_teams=teams,
        review_every_days=values.get("review_every_days", current("review_every_days", None)),
        translation_of=translation,
    )


def _require_editor(user: Any) -> None:
    if not may_edit(user):
        raise PermissionDenied


@router.get("/kb/articles", response={200: ArticleList, **ERRORS}, summary="List articles")
def list_articles(
    request: AuthenticatedRequest,
    filters: Query[ArticleFilters],
    page: Query[PageParams],
) -> dict[str, Any]:
    """The articles the caller may read: live ones, and for editors drafts
    and the archive too."""
    articles = _visible_for(request.user)
    for field in ("language", "kind", "status", "visibility", "category"):
        value = getattr(filters, field)
        if value is not None:
            articles = articles.filter(**{field: value})
    result = paginate(_with_relations(articles), page.cursor, page.limit)
    _attach_translations(result["items"], request.user)
    return result


@router.post("/kb/articles", response={201: ArticleOut, **ERRORS}, summary="Create an article")
def create_article(request: AuthenticatedRequest, body: ArticleIn) -> Status:
    """409 with a free `suggestion` when the address is taken in the language."""
    _require_editor(request.user)
    article = do_create_article(
        _data(body),
        request.user,
        publish=body.status == ArticleStatus.PUBLISHED,
        publish_at=body.publish_at if body.status == "draft" else None,
        note=body.note,
    )
    return Status(201, _detail(request.user, article.pk))


@router.get("/kb/articles/{article_id}", response={200: ArticleOut, **ERRORS}, summary="Get one")
def get_article(request: AuthenticatedRequest, article_id: Id) -> Article:
    _access(request.user, article_id)
    return _detail(request.user, article_id)


@router.patch(
    "/kb/articles/{article_id}", response={200: ArticleOut, **ERRORS}, summary="Change an article"
)
def update_article(request: AuthenticatedRequest, article_id: Id, body: ArticlePatch) -> Article:
    article = access_article_for_edit(request.user, article_id)
    do_update_article(
        article,
        _data(body, article),
        request.user,
        publish=body.publish,
        note=body.note,
        significant=body.significant,
        publish_at=body.publish_at,
    )
    return _detail(request.user, article_id)


@router.delete("/kb/articles/{article_id}", response={204: None, **ERRORS}, summary="Delete")
def delete_article(request: AuthenticatedRequest, article_id: Id) -> Status:
    do_delete_article(access_article_for_edit(request.user, article_id), request.user)
    return Status(204, None)


@router.post(
    "/kb/articles/{article_id}/publish",
    response={200: ArticleOut, **ERRORS},
    summary="Publish the draft or the pending change",
)
def publish_article(request: AuthenticatedRequest, article_id: Id, body: PublishIn) -> Article:
    article = access_article_for_edit(request.user, article_id)
    if (
        do_publish_article(article, request.user, note=body.note, significant=body.significant)
        is None
    ):
        raise ValidationError({"status": ["There is no change to publish."]})
    return _detail(request.user, article_id)


@router.post(
    "/kb/articles/{article_id}/unpublish",
    response={200: ArticleOut, **ERRORS},
    summary="Take an article off the help center (back to draft)",
)
def unpublish_article(request: AuthenticatedRequest, article_id: Id) -> Article:
    do_unpublish_article(access_article_for_edit(request.user, article_id), request.user)
    return _detail(request.user, article_id)


@router.get(
    "/kb/articles/{article_id}/versions",
    response={200: VersionList, **ERRORS},
    summary="Published versions, newest first",
)
def list_versions(request: AuthenticatedRequest, article_id: Id) -> dict[str, Any]:
    """Editors only: an earlier version may hold what is no longer for readers."""
    article = access_article_for_edit(request.user, article_id)
    return {"items": list(article.versions.all())}


@router.get(
    "/kb/articles/{article_id}/diff",
    response={200: DiffOut, **ERRORS},
    summary="What changed between two versions (unified diff)",
)
def version_diff(
    request: AuthenticatedRequest,
    article_id: Id,
    from_version: int = Query(..., alias="from", ge=1),
    to_version: int = Query(..., alias="to", ge=1),
) -> dict[str, Any]:
    article = access_article_for_edit(request.user, article_id)
    versions = {v.number: v for v in article.versions.filter(number__in=[from_version, to_version])}
    missing = [n for n in (from_version, to_version) if n not in versions]
    if missing:
        raise ValidationError({"version": [f"Version {missing[0]} does not exist."]})
    return {
        "from_version": from_version,
        "to_version": to_version,
        "unified": diff.unified(versions[from_version], versions[to_version]),
    }


@router.post(
    "/kb/articles/{article_id}/revert",
    response={200: ArticleOut, **ERRORS},
    summary="Publish an earlier version's text again",
)
def revert_article(request: AuthenticatedRequest, article_id: Id, body: RevertIn) -> Article:
    article = access_article_for_edit(request.user, article_id)
    do_revert_article(article, body.version, request.user, significant=body.significant)
    return _detail(request.user, article_id)


@router.post(
    "/kb/articles/{article_id}/images",
    response={201: ImageOut, **ERRORS},
    summary="Upload an image into an article",
)
def upload_image(request: AuthenticatedRequest, article_id: Id, file: File[UploadedFile]) -> Status:
    """PNG, JPEG, GIF or WebP, checked by content, not by name (422 otherwise)."""
    article = access_article_for_edit(request.user, article_id)
    image = do_add_image(article, file, request.user)
    url = image.get_absolute_url()
    return Status(201, {"id": image.pk, "url": url, "markdown": f"![{image.filename}]({url})"})


@router.post(
    "/kb/articles/{article_id}/feedback",
    response={201: None, **ERRORS},
    summary="Was this helpful?",
)
def leave_feedback(request: AuthenticatedRequest, article_id: Id, body: FeedbackIn) -> Status:
    article = access_article(request.user, article_id)
    do_leave_feedback(article, body.helpful, body.comment, request.user)
    return Status(201, None)


@router.get("/kb/search", response={200: SearchResults, **ERRORS}, summary="Search articles")
def search_articles(
    request: AuthenticatedRequest,
    q: str = Query(..., max_length=500),
    language: Language | None = None,
    limit: int = Query(10, ge=1, le=50),
) -> dict[str, Any]:
    """Live articles the caller may read, best first; Polish and English
    forms, text without Polish letters and one typo per word are understood."""
    allowed = readable_articles(request.user)
    if language is not None:
        allowed = allowed.filter(language=language)
    parsed = search.ranked_query(SEARCH_KIND, q)
    hits = search.ranked(SEARCH_KIND, q, allowed, limit=limit, parsed=parsed)
    articles = Article.objects.in_bulk([hit.object_id for hit in hits])
    items = []
    for hit in hits:
        article = articles.get(hit.object_id)
        if article is None:
            continue  # deleted since the search
        items.append(
            {
                "id": article.pk,
                "title": article.title,
                "url": article_url(article),
                "snippet": search.highlight(plain_text(article.body_html), parsed),
                "language": article.language,
                "kind": article.kind,
                "score": hit.score,
            }
        )
    return {"items": items}


@router.get("/kb/categories", response={200: CategoryList, **ERRORS}, summary="List categories")
def list_categories(request: AuthenticatedRequest) -> dict[str, Any]:
    return {"items": list(Category.objects.all())}


@router.post("/kb/categories", response={201: CategoryOut, **ERRORS}, summary="Add a category")
def create_category(request: AuthenticatedRequest, body: CategoryIn) -> Status:
    _require_editor(request.user)
    return Status(201, _save_category(Category(), body))


@router.patch(
    "/kb/categories/{category_id}", response={200: CategoryOut, **ERRORS}, summary="Change one"
)
def update_category(request: AuthenticatedRequest, category_id: Id, body: CategoryIn) -> Category:
    _require_editor(request.user)
    category = Category.objects.filter(pk=category_id).first()
    if category is None:
        from django.http import Http404

        raise Http404
    return _save_category(category, body)


@transaction.atomic
def _save_category(category: Category, body: CategoryIn) -> Category:
    from carebase.core.errors import Conflict

    if Category.objects.filter(slug=body.slug).exclude(pk=category.pk).exists():
        raise Conflict("Another category has this short name.", field="slug")
    parent = None
    if body.parent is not None:
        parent = Category.objects.filter(pk=body.parent).first()
        if parent is None:
            raise ValidationError({"parent": ["There is no such category."]})
        ancestor: Category | None = parent
        while ancestor is not None:
            if category.pk and ancestor.pk == category.pk:
                raise ValidationError({"parent": ["A category cannot be inside itself."]})
            ancestor = ancestor.parent
    for field in ("slug", "name_pl", "name_en", "description_pl", "description_en", "position"):
        setattr(category, field, getattr(body, field))
    category.parent = parent
    category.save()
    return category


@router.get(
    "/kb/export",
    response={200: None, **ERRORS},
    summary="Every article as Markdown files in a zip",
    openapi_extra={"responses": {"200": {"content": {"application/zip": {}}}}},
)
def export_articles(request: AuthenticatedRequest) -> HttpResponse:
    """`<language>/<slug>.md` with YAML front matter, and `_categories.yaml`:
    what `manage.py import_articles --format markdown` reads back."""
    _require_editor(request.user)
    articles = _with_relations(Article.objects.select_related("owner"))
    response = HttpResponse(export_zip(articles), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="knowledge-base.zip"'
    return response
