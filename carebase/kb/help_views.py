"""The public help center at /help/: the home with the category tree, the
category pages, the articles, the FAQ, search, readers' feedback, article
images, the sitemap and robots.txt.

Every page is in the language of its address (/help/pl/..., /help/en/...),
whatever the reader's profile or browser says: the address is what search
engines index and what people share. What a reader may see comes from
kb.access alone; an article they may not read is a 404 on every page and
is never listed. Each page reads a fixed number of rows (the tests count
the queries), and the categories, a small table, are read once per page and
walked in Python.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.http import http_date
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from carebase.core.access import is_customer, is_staff_member
from carebase.core.search import highlight, ranked, ranked_query
from carebase.crm.models import Language
from carebase.kb.access import access_article_by_slug, readable_articles, staff_articles
from carebase.kb.actions import do_leave_feedback
from carebase.kb.models import (
    SEARCH_KIND,
    Article,
    ArticleImage,
    ArticleKind,
    ArticleStatus,
    Category,
    Visibility,
)
from carebase.kb.render import headings, plain_text

LANGUAGES: tuple[str, ...] = tuple(Language.values)
DEFAULT_LANGUAGE = Language.POLISH.value
COMMENT_MAX = 2000
LINKS_PER_SHELF = 5
RELATED_MAX = 5
SEARCH_LIMIT = 20
QUERY_MAX = 200
DESCRIPTION_LENGTH = 160
TOC_MIN_HEADINGS = 3
# The fields a list of articles shows (never the body).
LIST_FIELDS = ("pk", "title", "summary", "slug", "language", "category_id", "updated_at")
# What json_script escapes: a "</script>" in a title cannot end the block.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
# htmx swaps a 422 too, so that a refused comment shows its error in place.
HTMX_CONFIG = json.dumps(
    {
        "responseHandling": [
            {"code": "204", "swap": False},
            {"code": "[23]..", "swap": True},
            {"code": "422", "swap": True},
            {"code": "[45]..", "swap": False, "error": True},
        ]
    }
)


# --- Language ---


def accepted_languages(header: str) -> list[str]:
    """The language tags of an Accept-Language header, most wanted first."""
    weighted = []
    for position, part in enumerate(header.split(",")):
        tag, _sep, parameters = part.strip().partition(";")
        quality = 1.0
        parameters = parameters.strip()
        if parameters.startswith("q="):
            try:
                quality = float(parameters[2:])
            except ValueError:
                quality = 0.0
        if tag.strip() and quality > 0:
            weighted.append((-quality, position, tag.strip().lower()))
    return [tag for _quality, _position, tag in sorted(weighted)]


def reader_language(request: HttpRequest) -> str:
    """The signed-in reader's language, else the browser's, else Polish."""
    chosen = getattr(request.user, "language", "")
    if chosen in LANGUAGES:
        return str(chosen)
    for tag in accepted_languages(request.headers.get("Accept-Language", "")):
        primary = tag.split("-")[0]
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


def other_language(language: str) -> str:
    return next(code for code in LANGUAGES if code != language)


def in_page_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the view in the address's language; any other language is a 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, language: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if language not in LANGUAGES:
            raise Http404
        with translation.override(language):
            response = view(request, language, *args, **kwargs)
        response["Content-Language"] = language
        return response

    return wrapped


# --- What the layout puts in <head> ---


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def describe(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_LENGTH)


def ld_json(data: dict[str, Any]) -> SafeString:
    """A JSON-LD block, escaped like json_script: nothing in the data can
    close the script element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),  # escaped above
    )


def organization() -> dict[str, str]:
    name = getattr(settings, "HELP_CENTER_NAME", "carebase")
    return {"@type": "Organization", "name": name, "url": settings.SITE_URL}


@dataclass
class Page:
    """The head of a help center page and its language switch."""

    language: str
    title: str
    description: str
    path: str  # the canonical address, without the site
    alternates: dict[str, str]  # hreflang -> path, the page itself included
    switch_url: str  # the page in the other language, or that language's home
    noindex: bool = False
    json_ld: list[dict[str, Any]] = field(default_factory=list)

    @property
    def head_title(self) -> str:
        home = _("Help center")
        return self.title if self.title == home else f"{self.title} · {home}"

    @property
    def canonical(self) -> str:
        return absolute(self.path)

    @property
    def other_language(self) -> str:
        return other_language(self.language)

    @property
    def hreflangs(self) -> list[tuple[str, str]]:
        return [(hreflang, absolute(path)) for hreflang, path in self.alternates.items()]

    @property
    def structured_data(self) -> SafeString:
        return mark_safe("".join(ld_json(block) for block in self.json_ld))


def alternates(paths: dict[str, str], default: str | None = None) -> dict[str, str]:
    """hreflang links: each language's version, and x-default (the given
    page, else the Polish version, else the only one)."""
    found = {language: paths[language] for language in LANGUAGES if language in paths}
    if not found:
        return {}
    found["x-default"] = default or found.get(DEFAULT_LANGUAGE) or next(iter(found.values()))
    return found


# --- Categories ---


@dataclass
class Crumb:
    name: str
    url: str


@dataclass
class Shelf:
    """A category as a reader sees it: its name in the page's language, how
    many articles it holds for this reader, and some of them."""

    name: str
    url: str
    count: int = 0
    description: str = ""
    articles: list[Article] = field(default_factory=list)
    children: list[Shelf] = field(default_factory=list)


class Categories:
    """Every category, read in one query, as a tree."""

    def __init__(self, categories: Iterable[Category]) -> None:
        self.by_id: dict[int, Category] = {}
        self.by_slug: dict[str, Category] = {}
        self.children: dict[int | None, list[Category]] = defaultdict(list)
        for category in categories:  # in position order
            self.by_id[category.pk] = category
            self.by_slug[category.slug] = category
            self.children[category.parent_id].append(category)

    @classmethod
    def load(cls) -> Categories:
        return cls(Category.objects.all())

    def path(self, category_id: int | None) -> list[Category]:
        """The category and its ancestors, the top one first."""
        path: list[Category] = []
        while category_id is not None and category_id in self.by_id:
            category = self.by_id[category_id]
            if category in path:  # a loop in bad data: stop rather than spin
                break
            path.append(category)
            category_id = category.parent_id
        return path[::-1]

    def subtree(self, category: Category) -> list[int]:
        """The ids of the category and of every category below it, depth first."""
        ids: list[int] = []
        waiting = [category]
        while waiting:
            current = waiting.pop()
            if current.pk in ids:
                continue
            ids.append(current.pk)
            waiting.extend(reversed(self.children[current.pk]))
        return ids


def category_url(language: str, category: Category) -> str:
    return reverse("help:category", args=[language, category.slug])


def breadcrumbs(language: str, categories: Categories, category_id: int | None) -> list[Crumb]:
    crumbs = [Crumb(_("Help center"), reverse("help:index", args=[language]))]
    for category in categories.path(category_id):
        crumbs.append(Crumb(category.name_in(language), category_url(language, category)))
    return crumbs


def breadcrumb_json(crumbs: list[Crumb]) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": number,
                "name": crumb.name,
                "item": absolute(crumb.url),
            }
            for number, crumb in enumerate(crumbs, start=1)
        ],
    }


def list_fields(articles: QuerySet[Article]) -> QuerySet[Article]:
    return articles.only(*LIST_FIELDS)


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """A page in the help center's own layout (not the staff app's)."""
    layout = {"customer": is_customer(request.user), "htmx_config": HTMX_CONFIG}
    return render(request, template, {**layout, **context}, status=status)


# --- Pages ---


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """/help/: the help center in the reader's language."""
    response = redirect("help:index", reader_language(request))
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


@require_safe
@in_page_language
def index(request: HttpRequest, language: str) -> HttpResponse:
    readable = readable_articles(request.user).filter(language=language)
    categories = Categories.load()
    counts: dict[int | None, int] = dict(
        readable.order_by().values_list("category_id").annotate(count=Count("pk"))
    )
    # The first few articles of every category, in one query.
    firsts = list_fields(readable).annotate(
        rank=Window(RowNumber(), partition_by=F("category_id"), order_by=F("title").asc())
    )
    links: dict[int | None, list[Article]] = defaultdict(list)
    for item in firsts.filter(rank__lte=LINKS_PER_SHELF).order_by("title"):
        links[item.category_id].append(item)

    def shelf(category: Category) -> Shelf:
        ids = categories.subtree(category)
        return Shelf(
            name=category.name_in(language),
            url=category_url(language, category),
            count=sum(counts.get(pk, 0) for pk in ids),
            description=category.description_in(language),
            articles=[item for pk in ids for item in links[pk]][:LINKS_PER_SHELF],
        )

    shelves = []
    for top in categories.children[None]:
        card = shelf(top)
        card.children = [child for child in map(shelf, categories.children[top.pk]) if child.count]
        if card.count:
            shelves.append(card)
    if counts.get(None):
        shelves.append(Shelf(_("Other articles"), "", counts[None], articles=links[None]))
    page = Page(
        language=language,
        title=_("Help center"),
        description=_("Guides and answers to frequent questions, with search."),
        path=reverse("help:index", args=[language]),
        alternates=alternates(
            {code: reverse("help:index", args=[code]) for code in LANGUAGES},
            default=reverse("help:home"),
        ),
        switch_url=reverse("help:index", args=[other_language(language)]),
        json_ld=[
            {
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": _("Help center"),
                "url": absolute(reverse("help:index", args=[language])),
                "inLanguage": language,
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": absolute(reverse("help:search", args=[language])) + "?q={query}",
                    "query-input": "required name=query",
                },
            }
        ],
    )
    return render_page(request, "kb/help/index.html", {"page": page, "shelves": shelves})


@require_safe
@in_page_language
def category(request: HttpRequest, language: str, slug: str) -> HttpResponse:
    """A category: its articles and those of the categories below it. A
    category without an article this reader may read does not exist for them."""
    categories = Categories.load()
    current = categories.by_slug.get(slug)
    if current is None:
        raise Http404
    ids = categories.subtree(current)
    readable = readable_articles(request.user)
    articles = list(list_fields(readable).filter(language=language, category_id__in=ids))
    if not articles:
        raise Http404
    in_category: dict[int | None, list[Article]] = defaultdict(list)
    for item in articles:
        in_category[item.category_id].append(item)
    sections = [
        Shelf(
            name=categories.by_id[pk].name_in(language),
            url=category_url(language, categories.by_id[pk]),
            count=len(in_category[pk]),
            articles=in_category[pk],
        )
        for pk in ids[1:]
        if in_category[pk]
    ]
    other = other_language(language)
    translated = readable.filter(language=other, category_id__in=ids).exists()
    paths = {language: category_url(language, current)}
    if translated:
        paths[other] = category_url(other, current)
    crumbs = breadcrumbs(language, categories, current.parent_id)
    page = Page(
        language=language,
        title=current.name_in(language),
        description=describe(current.description_in(language) or current.name_in(language)),
        path=paths[language],
        alternates=alternates(paths),
        switch_url=paths.get(other) or reverse("help:index", args=[other]),
        json_ld=[breadcrumb_json([*crumbs, Crumb(current.name_in(language), paths[language])])],
    )
    context = {
        "page": page,
        "category": current,
        "name": current.name_in(language),
        "description": current.description_in(language),
        "breadcrumbs": crumbs,
        "articles": in_category[current.pk],
        "sections": sections,
    }
    return render_page(request, "kb/help/category.html", context)


class FeedbackForm(forms.Form):
    helpful = forms.ChoiceField(
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        error_messages={
            "required": gettext_lazy("Choose “Yes” or “No”."),
            "invalid_choice": gettext_lazy("Choose “Yes” or “No”."),
        },
    )
    comment = forms.CharField(required=False)

    def clean_comment(self) -> str:
        # Browsers send a line break as two characters but count it as one
        # against maxlength: count it as one here too.
        comment = str(self.cleaned_data["comment"]).replace("\r\n", "\n")
        if len(comment) > COMMENT_MAX:
            raise forms.ValidationError(
                _("Please keep the comment within %(limit)s characters; it has %(count)s.")
                % {"limit": COMMENT_MAX, "count": len(comment)}
            )
        return comment


@require_safe
@in_page_language
def article(request: HttpRequest, language: str, slug: str) -> HttpResponse:
    item = access_article_by_slug(request.user, language, slug)
    return _article_page(request, item, FeedbackForm(), thanked="feedback" in request.GET)


@require_POST
@in_page_language
def feedback(request: HttpRequest, language: str, slug: str) -> HttpResponse:
    """The answer to "Was this helpful?". Without JavaScript the reader comes
    back to the article, thanked; htmx picks the thank-you out of that page."""
    item = access_article_by_slug(request.user, language, slug)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _article_page(request, item, form, status=422)
    data = form.cleaned_data
    do_leave_feedback(item, data["helpful"] == "yes", data["comment"], request.user)
    return redirect(f"{item.help_url()}?feedback=thanks#feedback")


def _article_page(
    request: HttpRequest,
    item: Article,
    form: FeedbackForm,
    *,
    thanked: bool = False,
    status: int = 200,
) -> HttpResponse:
    language, user = item.language, request.user
    readable = readable_articles(user)
    categories = Categories.load()
    tags = list(item.tags.all())
    other = other_language(language)
    translated = readable.filter(group=item.group, language=other).only(*LIST_FIELDS).first()
    paths = {language: item.help_url()}
    if translated is not None:
        paths[other] = translated.help_url()
    toc = headings(item.body_html)
    crumbs = breadcrumbs(language, categories, item.category_id)
    description = describe(item.summary or plain_text(item.body_html) or item.title)
    json_ld: list[dict[str, Any]] = [
        {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": item.title,
            "description": description,
            "datePublished": item.published_at or item.created_at,
            "dateModified": item.updated_at,
            "inLanguage": language,
            "mainEntityOfPage": absolute(paths[language]),
            "author": organization(),
            "publisher": organization(),
        },
        breadcrumb_json(crumbs),
    ]
    if item.kind == ArticleKind.FAQ:
        json_ld.append(faq_json([item]))
    page = Page(
        language=language,
        title=item.title,
        description=description,
        path=paths[language],
        alternates=alternates(paths),
        switch_url=paths.get(other) or reverse("help:index", args=[other]),
        noindex=item.visibility != Visibility.PUBLIC,
        json_ld=json_ld,
    )
    context = {
        "page": page,
        "article": item,
        "breadcrumbs": crumbs,
        "toc": [(level, anchor, html.unescape(text)) for level, anchor, text in toc]
        if len(toc) >= TOC_MIN_HEADINGS
        else [],
        "tags": tags,
        "related": related_articles(readable, item, tags),
        "staff": is_staff_member(user),
        "internal": item.visibility in (Visibility.INTERNAL, Visibility.ROLES),
        "contact_email": support_address(language),
        "form": form,
        "thanked": thanked,
    }
    return render_page(request, "kb/help/article.html", context, status=status)


def related_articles(readable: QuerySet[Article], item: Article, tags: list[Any]) -> list[Article]:
    """Up to five readable articles of the same language that share the
    category or a tag: those of the same category first, the latest first."""
    condition = Q()
    if item.category_id is not None:
        condition |= Q(category_id=item.category_id)
    if tags:
        tagged = Article.tags.through.objects.filter(tag_id__in=[tag.pk for tag in tags])
        condition |= Q(pk__in=tagged.values("article_id"))
    if not condition:
        return []
    found = list_fields(readable).filter(condition, language=item.language).exclude(pk=item.pk)
    same_category_first = Case(
        When(category_id=item.category_id, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return list(found.order_by(same_category_first, "-updated_at", "pk")[:RELATED_MAX])


def support_address(language: str) -> str:
    """The address of an active support mailbox, one of the page's language
    first; "" when there is none."""
    from carebase.mail.models import Mailbox

    same_language_first = Case(
        When(language=language, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    address = (
        Mailbox.objects.filter(active=True)
        .order_by(same_language_first, "pk")
        .values_list("address", flat=True)
        .first()
    )
    return address or ""


def faq_json(entries: Iterable[Article]) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": entry.title,
                "acceptedAnswer": {"@type": "Answer", "text": plain_text(entry.body_html)},
            }
            for entry in entries
        ],
    }


@require_safe
@in_page_language
def faq(request: HttpRequest, language: str) -> HttpResponse:
    """Every FAQ entry the reader may read, grouped by category."""
    categories = Categories.load()
    entries = list(readable_articles(request.user).filter(language=language, kind=ArticleKind.FAQ))
    by_category: dict[int | None, list[Article]] = defaultdict(list)
    for entry in entries:
        by_category[entry.category_id].append(entry)
    groups: list[Shelf] = []
    for top in categories.children[None]:
        for pk in categories.subtree(top):
            if by_category[pk]:
                shown = categories.by_id[pk]
                groups.append(
                    Shelf(
                        shown.name_in(language),
                        category_url(language, shown),
                        len(by_category[pk]),
                        articles=by_category[pk],
                    )
                )
    if by_category[None]:
        groups.append(
            Shelf(_("Other questions"), "", len(by_category[None]), articles=by_category[None])
        )
    paths = {code: reverse("help:faq", args=[code]) for code in LANGUAGES}
    page = Page(
        language=language,
        title=_("Frequently asked questions"),
        description=_("Short answers to the questions we hear most often."),
        path=paths[language],
        alternates=alternates(paths),
        switch_url=paths[other_language(language)],
        json_ld=[faq_json(entry for group in groups for entry in group.articles)]
        if entries
        else [],
    )
    return render_page(request, "kb/help/faq.html", {"page": page, "groups": groups})


@dataclass
class Result:
    article: Article
    category: str
    snippet: SafeString


@require_safe
@in_page_language
def search(request: HttpRequest, language: str) -> HttpResponse:
    """Ranked results among what the reader may read; an empty query shows nothing."""
    query = " ".join(request.GET.get("q", "").replace("\x00", "").split())[:QUERY_MAX]
    results: list[Result] = []
    if query:
        parsed = ranked_query(SEARCH_KIND, query)
        allowed = readable_articles(request.user).filter(language=language)
        hits = ranked(SEARCH_KIND, query, allowed, limit=SEARCH_LIMIT, parsed=parsed)
        found = allowed.select_related("category").in_bulk([hit.object_id for hit in hits])
        for hit in hits:
            if hit.object_id not in found:
                continue
            item = found[hit.object_id]
            snippet = highlight(plain_text(item.body_html), parsed)  # escaped, with <mark>
            category_name = item.category.name_in(language) if item.category else ""
            results.append(Result(item, category_name, mark_safe(snippet)))
    path = reverse("help:search", args=[language])
    suffix = f"?{urlencode({'q': query})}" if query else ""
    other = other_language(language)
    page = Page(
        language=language,
        title=_("Search: %(query)s") % {"query": query} if query else _("Search"),
        description=_("Search the help center."),
        path=path + suffix,
        alternates={},
        switch_url=reverse("help:search", args=[other]) + suffix,
        noindex=True,  # result pages are not content of their own
    )
    context = {"page": page, "query": query, "results": results}
    return render_page(request, "kb/help/search.html", context)


# --- Files for machines ---


@require_safe
def image(request: HttpRequest, pk: int, filename: str) -> FileResponse:
    """An article's image, for those who may read the article (editors also
    see the images of drafts, on the staff pages); 404 for anyone else."""
    user = request.user
    articles = staff_articles(user) if is_staff_member(user) else readable_articles(user)
    found = (
        ArticleImage.objects.select_related("article")
        .filter(pk=pk, filename=filename, article__in=articles.values("pk"))
        .first()
    )
    if found is None:
        raise Http404
    try:
        stream = found.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(stream, content_type=found.content_type, filename=found.filename)
    shared = (
        found.article.visibility == Visibility.PUBLIC
        and found.article.status == ArticleStatus.PUBLISHED
    )
    # A stored image never changes (a new upload is a new address).
    response["Cache-Control"] = "public, max-age=604800" if shared else "private, max-age=3600"
    response["Last-Modified"] = http_date(found.created_at.timestamp())
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@dataclass
class SitemapEntry:
    location: str
    modified: datetime | None
    alternates: list[tuple[str, str]]


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    """What search engines may index: public live articles, the categories
    holding them, the homes and FAQ pages of both languages."""
    public = readable_articles(AnonymousUser())
    articles = list(public.only("pk", "group", "language", "slug", "category_id", "updated_at"))
    categories = Categories.load()
    groups: dict[Any, dict[str, Article]] = defaultdict(dict)
    latest: dict[str, datetime] = {}
    shelved: dict[tuple[int, str], datetime] = {}  # (category, language) -> latest change
    for item in articles:
        groups[item.group][item.language] = item
        latest[item.language] = max(latest.get(item.language, item.updated_at), item.updated_at)
        for shelf in categories.path(item.category_id):
            key = (shelf.pk, item.language)
            shelved[key] = max(shelved.get(key, item.updated_at), item.updated_at)

    def entry(
        paths: dict[str, str], language: str, modified: datetime | None, **kw: Any
    ) -> SitemapEntry:
        links = alternates(paths, **kw) if len(paths) > 1 else {}
        return SitemapEntry(
            absolute(paths[language]),
            modified,
            [(hreflang, absolute(path)) for hreflang, path in links.items()],
        )

    entries = []
    for page_name in ("help:index", "help:faq"):
        paths = {code: reverse(page_name, args=[code]) for code in LANGUAGES}
        default = reverse("help:home") if page_name == "help:index" else None
        for language in LANGUAGES:
            entries.append(entry(paths, language, latest.get(language), default=default))
    for shelf in categories.by_id.values():
        paths = {
            code: category_url(code, shelf) for code in LANGUAGES if (shelf.pk, code) in shelved
        }
        for language in paths:
            entries.append(entry(paths, language, shelved[(shelf.pk, language)]))
    for translations in groups.values():
        paths = {code: item.help_url() for code, item in translations.items()}
        for code, item in translations.items():
            entries.append(entry(paths, code, item.updated_at))
    return render(
        request,
        "kb/help/sitemap.xml",
        {"entries": entries},
        content_type="application/xml; charset=utf-8",
    )


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the help center (and the static files its pages
    need to render), nothing else."""
    lines = [
        "User-agent: *",
        "Allow: /help/",
        "Allow: /static/",
        "Disallow: /",
        "",
        f"Sitemap: {absolute(reverse('help:sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
